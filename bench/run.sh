#!/usr/bin/env bash
# Benchmarks of Part II (not tests: the numbers depend on the machine).
#
#   bench/run.sh           # both benchmarks
#   bench/run.sh nginx     # async_server vs nginx (one worker each), wrk -t1 -c100 -d5s, and the ratio
#   bench/run.sh idle      # 10,000 idle keep-alive connections: async_server, then threaded_server
#
# Needs wrk and nginx (Debian/Ubuntu: sudo apt-get install -y wrk nginx).
# Everything runs on loopback, as child processes of this script, and stops
# when it ends. Close other busy programs first: the two servers and wrk
# share your cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

need() {
    if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$1" ]; then
        echo "bench: $1 is missing. Install it with: sudo apt-get install -y wrk nginx" >&2
        exit 2
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Starts an example in the background; sets $addr from the line it prints.
start_example() {
    local name=$1; shift
    "$root/target/release/examples/$name" --addr 127.0.0.1:0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    pids+=($!)
    server_pid=$!
    for _ in $(seq 100); do
        addr=$(sed -n 's|.*http://\([^/]*\)/.*|\1|p' "$tmp/$name.out" | head -1)
        [ -n "$addr" ] && return 0
        sleep 0.05
    done
    echo "bench: $name did not start:" >&2
    cat "$tmp/$name.err" >&2
    exit 1
}

wrk_rps() {
    wrk -t1 -c100 -d5s "http://$1/" | tee "$tmp/wrk.out" >&2
    awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out"
}

status_field() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }

echo "building the examples (release)..." >&2
(cd "$root" && cargo build --quiet --release --example async_server --example threaded_server --example load)
echo "machine: $(nproc) cores, $(uname -sm); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$what" = all ] || [ "$what" = nginx ]; then
    need wrk
    need nginx
    nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
    port=$(free_port)
    mkdir -p "$tmp/nginx/tmp"
    echo "listen 127.0.0.1:$port;" > "$tmp/nginx/listen.conf"
    cp "$root/bench/nginx.conf" "$tmp/nginx/nginx.conf"
    "$nginx_bin" -p "$tmp/nginx" -c nginx.conf -g 'daemon off;' 2>"$tmp/nginx.err" &
    pids+=($!)
    sleep 0.5
    # One runtime worker thread against nginx's one worker process: left to
    # its default (a worker per core), async_server would get more cores
    # than nginx and the ratio would compare machines, not servers.
    TOKIO_WORKER_THREADS=1 start_example async_server
    echo; echo "== wrk -t1 -c100 -d5s: async_server, 1 runtime worker ($addr)"
    async_rps=$(wrk_rps "$addr")
    echo "== wrk -t1 -c100 -d5s: nginx, 1 worker (127.0.0.1:$port)"
    nginx_rps=$(wrk_rps "127.0.0.1:$port")
    echo
    echo "async_server: $async_rps req/s"
    echo "nginx:        $nginx_rps req/s"
    awk -v a="$async_rps" -v n="$nginx_rps" 'BEGIN { printf "ratio async_server / nginx: %.2fx (goal: >= 0.95x)\n", a / n }'
    kill "$server_pid"
fi

if [ "$what" = all ] || [ "$what" = idle ]; then
    n=10000
    for server in async_server threaded_server; do
        if [ "$server" = async_server ]; then
            start_example async_server --max-connections 20000 --idle-timeout-ms 60000
        else
            start_example threaded_server --idle-timeout-ms 60000
        fi
        echo; echo "== $n idle keep-alive connections to $server ($addr), held 5 s"
        "$root/target/release/examples/load" "$addr" --idle $n --seconds 5 >"$tmp/idle.out" 2>&1 &
        load_pid=$!
        pids+=($load_pid)
        # Sample the server while the connections are held.
        peak_threads=0; rss=0
        for _ in $(seq 40); do
            sleep 0.2
            kill -0 "$server_pid" 2>/dev/null || break
            t=$(status_field "$server_pid" Threads); r=$(status_field "$server_pid" VmRSS)
            [ "$t" -gt "$peak_threads" ] && peak_threads=$t
            [ "$r" -gt "$rss" ] && rss=$r
            kill -0 "$load_pid" 2>/dev/null || break
        done
        wait "$load_pid" || true
        cat "$tmp/idle.out"
        if kill -0 "$server_pid" 2>/dev/null; then
            echo "$server: peak threads $peak_threads, peak VmRSS $((rss / 1024)) MiB (RSS excludes kernel stacks and socket buffers), still running"
        else
            echo "$server: DIED during the test; last seen: threads $peak_threads, VmRSS $((rss / 1024)) MiB"
        fi
        [ -s "$tmp/$server.err" ] && { echo "$server stderr (first lines):"; head -5 "$tmp/$server.err"; }
        kill "$server_pid" 2>/dev/null || true
        sleep 0.5
    done
fi
