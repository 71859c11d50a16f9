#!/usr/bin/env bash
# What Orleans' dashboard costs the limited path: one embedded node with API-key auth and request/token windows on
# the key and the model (bench/run.sh's "auth+limits on" row), measured with the dashboard off, on but not viewed,
# and on while viewed (its counters polled every second, so its grain-call profiler runs). Rounds alternate the
# three so drift on a shared machine falls on all alike; prints each round, then medians and ratios to "off".
#   bash bench/dashboard.sh           # ROUNDS=3 DURATION=8 WARMUP=6 CONNECTIONS=32 THREADS=2 by default
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-6}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
UPSTREAM_PORT=${UPSTREAM_PORT:-18191}
ROUTER_PORT=${ROUTER_PORT:-18193}
HERE=$(pwd)/bench/load
KEY=bench-key-0123456789
ADMIN=bench-admin-0123456789
say() { printf '== %s\n' "$*" >&2; }

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ -z "${DLL:-}" ]; then
  say "building the router (Release)"
  dotnet build src/Silo -c Release -nologo -v quiet >&2
  DLL=$(pwd)/src/Silo/bin/Release/net10.0/LlmRouter.Silo.dll
fi

WORK=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
render() { sed -e "s#__DIR__#$WORK#g" -e "s#__UPSTREAM_PORT__#$UPSTREAM_PORT#g" -e "s#__ROUTER_PORT__#$ROUTER_PORT#g" "$1" > "$2"; }
wait_http() { for _ in $(seq 1 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "not answering: $1" >&2; exit 1; }

render "$HERE/upstream.nginx.conf" "$WORK/upstream.conf"
"$NGINX" -p "$WORK" -c "$WORK/upstream.conf" -g 'daemon off;' 2>>"$WORK/upstream.stderr" &
pids+=($!)
wait_http "http://127.0.0.1:$UPSTREAM_PORT/"
printf '{"model":"fake/gpt-bench","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":32}' > "$WORK/plain.json"

declare -A RESULTS
run_case() { # case: off | idle | viewed
  local dir="$WORK/router-$1" dashboard=true
  [ "$1" = off ] && dashboard=false
  mkdir -p "$dir"
  render "$HERE/router.toml.template" "$dir/router.toml"
  sed -i 's/^# __MODEL_LIMITS__$/[models.rate_limit]\nmax_requests = 1000000000\ntokens_per_minute = 100000000000\nper_seconds = 3600/' "$dir/router.toml"
  cat "$HERE/limits.toml" >> "$dir/router.toml"
  printf '\n[[api_keys]]\nkey_env = "BENCH_ADMIN_KEY"\nname = "bench-admin"\nrole = "admin"\n' >> "$dir/router.toml"
  (cd "$dir" && exec env BENCH_UPSTREAM_KEY=sk-bench LLM_ROUTER_NODE_ID=bench LLM_ROUTER_REQUIRE_AUTH=true LLM_ROUTER_LOCALHOST_BYPASS=false \
    BENCH_KEY=$KEY BENCH_ADMIN_KEY=$ADMIN LLM_ROUTER_DASHBOARD=$dashboard dotnet "$DLL" >"$dir/stdout.log" 2>"$dir/stderr.log") &
  local router=$!
  wait_http "http://127.0.0.1:$ROUTER_PORT/health"
  local viewer=""
  if [ "$1" = viewed ]; then
    (while true; do curl -s -o /dev/null -H "Authorization: Bearer $ADMIN" "http://127.0.0.1:$ROUTER_PORT/dashboard/DashboardCounters"; sleep 1; done) &
    viewer=$!
  fi
  BENCH_BODY_FILE="$WORK/plain.json" BENCH_AUTH=$KEY wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$HERE/post.lua" "http://127.0.0.1:$ROUTER_PORT/v1/chat/completions" >/dev/null
  BENCH_BODY_FILE="$WORK/plain.json" BENCH_AUTH=$KEY wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$HERE/post.lua" "http://127.0.0.1:$ROUTER_PORT/v1/chat/completions" > "$WORK/wrk.out"
  [ -n "$viewer" ] && { kill "$viewer"; wait "$viewer" 2>/dev/null || true; }
  kill "$router"; wait "$router" 2>/dev/null || true
  local rps bad; rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.out"); bad=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.out")
  [ -z "$bad" ] || say "WARNING $1: $bad non-2xx answers"
  RESULTS[$1]="${RESULTS[$1]:-} $rps"
  say "round $round, dashboard $1: $rps req/s"
}

for round in $(seq 1 "$ROUNDS"); do
  for case in off idle viewed; do run_case "$case"; done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo
echo "limited plain calls (auth+limits on), wrk $THREADS threads, $CONNECTIONS connections, ${DURATION}s per round after ${WARMUP}s warm-up, $ROUNDS rounds; $(nproc) CPUs"
off=$(echo "${RESULTS[off]}" | median)
for case in off idle viewed; do
  m=$(echo "${RESULTS[$case]}" | median)
  printf '%-28s req/s median %7s  (rounds:%s)  %s\n' "dashboard $case" "$m" "${RESULTS[$case]}" "$(awk -v a="$m" -v b="$off" 'BEGIN { printf "%.1f%% of off", a / b * 100 }')"
done
