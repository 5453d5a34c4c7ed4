#!/usr/bin/env bash
# Load and speed of the companion, with wrk (one run, same machine; numbers on a
# shared machine are noisy: compare ratios from one run, not across runs).
#   bench/server.sh            all: wrk figures + ratios + the cluster kill test
#   DURATION=10 bench/server.sh
# Needs the release binary (./scripts/build.sh server) and wrk (setup.sh --wrk).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/ferrode-server"
DURATION="${DURATION:-30}"
CONNS="${CONNS:-64}"
THREADS="${THREADS:-2}"
TMP="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# start NAME CMD... : runs CMD in the background, waits for its "listening" line, sets PORT.
start() {
  local name="$1"; shift
  "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  PIDS+=("$!")
  for _ in $(seq 1 300); do
    if grep -qE 'listening (on )?' "$TMP/$name.out"; then break; fi
    sleep 0.1
  done
  PORT="$(grep -oE 'listening (on http://[0-9.]+:)?[0-9]+' "$TMP/$name.out" | head -1 | grep -oE '[0-9]+$')"
}

# load NAME PORT: runs wrk on GET /hello; prints and records requests/s and errors.
load() {
  local name="$1" port="$2"
  wrk -t"$THREADS" -c"$CONNS" -d2s "http://127.0.0.1:$port/hello" >/dev/null 2>&1 || true # warm-up
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$port/hello" >"$TMP/$name.wrk"
  local rps errs
  rps="$(awk '/Requests\/sec/ {print $2}' "$TMP/$name.wrk")"
  errs="$(awk '/Socket errors|Non-2xx/ {print}' "$TMP/$name.wrk" | tr '\n' ' ')"
  printf '%-34s %12s req/s   %s\n' "$name" "$rps" "${errs:-errors: none}"
  eval "RPS_${name//[^a-zA-Z0-9]/_}=$rps"
}

echo "wrk -t$THREADS -c$CONNS -d${DURATION}s GET /hello (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
start ferrode "$BIN" --port 0 --web-dir "$ROOT/web" --pkg-dir "$ROOT/wasm"
FERRODE_URL="$(grep -oE 'http://[^ ]+' "$TMP/ferrode.out")"
load ferrode-native "$PORT"
start node-http node "$ROOT/bench/server-peers.mjs" http
load node-http "$PORT"
start node-cluster node "$ROOT/bench/server-peers.mjs" cluster 2
load node-cluster-2 "$PORT"
start page node "$ROOT/bench/server-peers.mjs" page "$FERRODE_URL"
load page-behind-tunnel "$PORT"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
echo
echo "native /hello vs Node http:          $(ratio "$RPS_ferrode_native" "$RPS_node_http")   (target >= 2x)"
echo "native /hello vs Node cluster (2):   $(ratio "$RPS_ferrode_native" "$RPS_node_cluster_2")   (target >= 1x)"
echo "page handler behind tunnel vs Node:  $(ratio "$RPS_page_behind_tunnel" "$RPS_node_http")   (target >= 0.3x)"

echo
echo "cluster: --cluster 2, kill -9 of a worker $((DURATION / 3)) s into a ${DURATION} s run"
start cluster "$BIN" --port 0 --cluster 2 --web-dir "$ROOT/web" --pkg-dir "$ROOT/wasm"
CPORT="$PORT"
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$CPORT/hello" >"$TMP/cluster.wrk" &
WRK=$!
sleep $((DURATION / 3))
VICTIM="$(grep -oE 'worker [0-9]+ started' "$TMP/cluster.err" | tail -1 | grep -oE '[0-9]+')"
T0="$(date +%s%N)"
kill -9 "$VICTIM"
for _ in $(seq 1 300); do
  if grep -q "worker $VICTIM died, starting a new one" "$TMP/cluster.err" \
    && [ "$(grep -c 'started' "$TMP/cluster.err")" -ge 3 ]; then break; fi
  sleep 0.005
done
T1="$(date +%s%N)"
echo "killed worker $VICTIM; replacement serving after $(( (T1 - T0) / 1000000 )) ms"
grep -E "died|started" "$TMP/cluster.err" | sed 's/^/  primary: /'
wait "$WRK"
awk '/Requests\/sec|requests in|Socket errors|Non-2xx/ {print "  wrk: " $0}' "$TMP/cluster.wrk"
