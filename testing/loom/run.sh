#!/bin/sh
# Runs Part VI's loom model in its own build:
#   sh testing/loom/run.sh testing/loom/src/main.rs relaxed|release-acquire
# The first argument names the model's source (so `cargo xtask cmd` hashes it
# into its cache key, and a changed model runs again); the crate is the
# folder above it. --cfg loom goes only into this build, whose target folder
# is target/loom, so the course's normal build never compiles loom.
set -eu
if [ $# -ne 2 ] || [ ! -f "$1" ]; then
    echo "usage: sh run.sh PATH/TO/testing/loom/src/main.rs relaxed|release-acquire" >&2
    exit 2
fi
crate=$(cd "$(dirname "$1")/.." && pwd)
root=$(cd "$crate/../.." && pwd)
RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR="$root/target/loom" \
    exec cargo run --quiet --release --manifest-path "$crate/Cargo.toml" -- "$2"
