#!/bin/sh
# Runs one of Part VI's checkers, each a binary crate under testing/:
#   sh testing/run.sh testing/loom/src/main.rs relaxed|release-acquire
#   sh testing/run.sh testing/shuttle/src/main.rs check-then-act|one-lock
# The first argument names the checker's source (so `cargo xtask cmd` hashes
# it into its cache key, and a changed model runs again); its crate is the
# folder above it. loom's model gets a build of its own: --cfg loom, in
# target/loom, so the course's normal build never compiles loom and the flag
# never reaches tokio.
set -eu
usage="usage: sh testing/run.sh testing/loom/src/main.rs|testing/shuttle/src/main.rs VARIANT"
if [ $# -ne 2 ] || [ ! -f "$1" ]; then
    echo "$usage" >&2
    exit 2
fi
crate=$(cd "$(dirname "$1")/.." && pwd)
root=$(cd "$crate/../.." && pwd)
case $(basename "$crate") in
    loom)
        export RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR="$root/target/loom" ;;
    shuttle) ;;
    *)
        echo "$usage" >&2
        exit 2 ;;
esac
exec cargo run --quiet --release --manifest-path "$crate/Cargo.toml" -- "$2"
