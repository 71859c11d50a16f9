#!/usr/bin/env bash
# Load harness: a fake OpenAI upstream (nginx with fixed answers), nginx as a plain reverse proxy in front of it
# (the floor), the Portkey gateway from npm (a peer; PORTKEY=0 skips it), and one LlmRouter node in its default
# embedded setup (SQLite invocation log on, Release build), first open, then with API-key auth and rate limits on
# the key and the model (admission and settlement on every call). Each is driven by wrk at the same connection
# count. Prints one table: requests/s, p50/p99 latency, CPU time per request of the target process (from
# /proc/PID/stat), peak RSS (VmHWM) and idle RSS; then the router's ratios to nginx and Portkey from the same run.
#   bash bench/run.sh                 # DURATION=10 WARMUP=10 CONNECTIONS=32 THREADS=2 PORTKEY=1 by default
#   ROUTER_DLL=/elsewhere/LlmRouter.Silo.dll bash bench/run.sh   # measures that build instead (no build here), e.g. a copy of the commit before
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
# .NET keeps recompiling hot code (tiered JIT with PGO) for several seconds: measure every target warm.
WARMUP=${WARMUP:-10}
UPSTREAM_PORT=${UPSTREAM_PORT:-18181}
PROXY_PORT=${PROXY_PORT:-18182}
ROUTER_PORT=${ROUTER_PORT:-18183}
PORTKEY=${PORTKEY:-1}
PORTKEY_PORT=${PORTKEY_PORT:-18184}
PORTKEY_VERSION=1.15.2
HERE=$(pwd)/bench/load

say() { printf '== %s\n' "$*" >&2; }

say "prerequisites"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ "$PORTKEY" = 0 ] || command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq -o DPkg::Lock::Timeout=600
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ "$PORTKEY" != 0 ]; then
  PORTKEY_DIR=$(pwd)/bench/.portkey
  if [ ! -f "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
    say "installing @portkey-ai/gateway@$PORTKEY_VERSION into bench/.portkey"
    mkdir -p "$PORTKEY_DIR"
    npm install --prefix "$PORTKEY_DIR" --no-audit --no-fund --loglevel=error "@portkey-ai/gateway@$PORTKEY_VERSION" >&2
  fi
fi

if [ -n "${ROUTER_DLL:-}" ]; then
  DLL=$ROUTER_DLL
else
  say "building the router (Release)"
  dotnet build src/Silo -c Release -nologo -v quiet >&2
  DLL=$(pwd)/src/Silo/bin/Release/net10.0/LlmRouter.Silo.dll
fi

WORK=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

render() { sed -e "s#__DIR__#$WORK#g" -e "s#__UPSTREAM_PORT__#$UPSTREAM_PORT#g" -e "s#__PROXY_PORT__#$PROXY_PORT#g" -e "s#__ROUTER_PORT__#$ROUTER_PORT#g" "$1" > "$2"; }

# A process and its children (nginx's worker, the router's single process).
family() { echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"; }
cpu_ticks() { local total=0; for pid in $1; do [ -r /proc/$pid/stat ] || continue; set -- $(sed 's/.*) //' /proc/$pid/stat); total=$((total + ${12} + ${13})); done; echo $total; }
kib() { local total=0; for pid in $1; do v=$(awk -v k="$2:" '$1==k {print $2}' /proc/$pid/status 2>/dev/null || echo 0); total=$((total + ${v:-0})); done; echo $total; }
TICKS=$(getconf CLK_TCK)

wait_http() {
  for _ in $(seq 1 200); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.1
  done
  echo "not answering: $1" >&2; exit 1
}

start_nginx() { # name conf port
  render "$HERE/$2" "$WORK/$1.conf"
  "$NGINX" -p "$WORK" -c "$WORK/$1.conf" -g 'daemon off;' 2>>"$WORK/$1.stderr" &
  NGINX_PID=$!
  pids+=($NGINX_PID)
  wait_http "http://127.0.0.1:$3/"
}

ROUTER_PID=""
start_router() { # auth: on|off|fast (off, and [monitoring] durable_log = false)
  local dir="$WORK/router-$1"
  mkdir -p "$dir"
  render "$HERE/router.toml.template" "$dir/router.toml"
  local auth_env=(LLM_ROUTER_REQUIRE_AUTH=false)
  if [ "$1" = on ]; then
    auth_env=(LLM_ROUTER_REQUIRE_AUTH=true LLM_ROUTER_LOCALHOST_BYPASS=false BENCH_KEY=bench-key-0123456789)
    sed -i 's/^# __MODEL_LIMITS__$/[models.rate_limit]\nmax_requests = 1000000000\ntokens_per_minute = 100000000000\nper_seconds = 3600/' "$dir/router.toml"
    cat "$HERE/limits.toml" >> "$dir/router.toml"
  fi
  if [ "$1" = fast ]; then printf '\n[monitoring]\ndurable_log = false\n' >> "$dir/router.toml"; fi
  (cd "$dir" && exec env BENCH_UPSTREAM_KEY=sk-bench LLM_ROUTER_NODE_ID=bench "${auth_env[@]}" dotnet "$DLL" >"$dir/stdout.log" 2>"$dir/stderr.log") &
  ROUTER_PID=$!
  pids+=($ROUTER_PID)
  wait_http "http://127.0.0.1:$ROUTER_PORT/health"
}

printf '{"model":"fake/gpt-bench","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":32}' > "$WORK/plain.json"
printf '{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":32}' > "$WORK/portkey_plain.json"
printf '{"model":"fakesse/gpt-bench","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":32}' > "$WORK/stream.json"

ROWS=()
declare -A RPS CPU
measure() { # label url body pids auth [headers: "name: value|name: value"]
  local label=$1 url=$2 body=$3 procs=$4 auth=${5:-} headers=${6:-}
  say "$label: warm-up ${WARMUP}s, then ${DURATION}s at $CONNECTIONS connections"
  BENCH_BODY_FILE="$WORK/$body.json" BENCH_AUTH="$auth" BENCH_HEADERS="$headers" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$HERE/post.lua" "$url" >/dev/null
  local before; before=$(cpu_ticks "$procs")
  BENCH_BODY_FILE="$WORK/$body.json" BENCH_AUTH="$auth" BENCH_HEADERS="$headers" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/post.lua" "$url" > "$WORK/wrk.out"
  local after; after=$(cpu_ticks "$procs")
  local requests rps p50 p99 bad errors
  requests=$(awk '/requests in/ {print $1}' "$WORK/wrk.out")
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
  bad=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.out"); bad=${bad:-0}
  errors=$(awk '/bench-errors:/ {print $2}' "$WORK/wrk.out")
  if [ "${errors:-0}" != 0 ] || [ "$bad" != 0 ]; then
    say "WARNING $label: $bad non-2xx answers, ${errors:-0} errors"; cat "$WORK/wrk.out" >&2
  fi
  local cpu_us; cpu_us=$(awk -v t=$((after - before)) -v hz="$TICKS" -v n="$requests" 'BEGIN { printf "%.0f", (n > 0 ? t / hz / n * 1e6 : 0) }')
  local peak; peak=$(( $(kib "$procs" VmHWM) / 1024 ))
  RPS[$label]=$rps; CPU[$label]=$cpu_us
  ROWS+=("$(printf '%-34s %9s %9s %9s %11s %9s %9s %6s' "$label" "$rps" "$p50" "$p99" "$cpu_us" "$peak" "$IDLE" "$bad")")
}

say "starting the fake upstream and nginx"
start_nginx upstream upstream.nginx.conf "$UPSTREAM_PORT"
start_nginx proxy proxy.nginx.conf "$PROXY_PORT"
PX=$NGINX_PID
IDLE=$(( $(kib "$(family "$PX")" VmRSS) / 1024 ))
measure "nginx proxy (floor), plain" "http://127.0.0.1:$PROXY_PORT/v1/chat/completions" plain "$(family "$PX")"
measure "nginx proxy (floor), stream" "http://127.0.0.1:$PROXY_PORT/sse/v1/chat/completions" stream "$(family "$PX")"

if [ "$PORTKEY" != 0 ]; then
  say "starting the Portkey gateway $PORTKEY_VERSION"
  (cd "$WORK" && exec env NODE_ENV=production node "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$PORTKEY_PORT" --headless >"$WORK/portkey.log" 2>&1) &
  PK=$!
  pids+=($PK)
  wait_http "http://127.0.0.1:$PORTKEY_PORT/"
  sleep 1
  IDLE=$(( $(kib "$(family "$PK")" VmRSS) / 1024 ))
  pk_headers="x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$UPSTREAM_PORT/v1"
  measure "Portkey gateway, plain" "http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions" portkey_plain "$(family "$PK")" sk-bench "$pk_headers"
  # No stream row: Portkey 1.15.2 on Node answers every passthrough stream with a 500 ("TypeError: immutable" when
  # it appends its headers to the upstream's response).
  kill "$PK"; wait "$PK" 2>/dev/null || true
fi

for auth in off on fast; do
  say "starting LlmRouter (auth and limits $auth)"
  start_router "$auth"
  key=""; [ "$auth" = on ] && key=bench-key-0123456789
  # One call each so idle RSS is that of a node that has served, not of one still loading code.
  for body in plain stream; do
    curl -s -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary "@$WORK/$body.json" "http://127.0.0.1:$ROUTER_PORT/v1/chat/completions"
  done
  sleep 2
  IDLE=$(( $(kib "$ROUTER_PID" VmRSS) / 1024 ))
  if [ "$auth" = fast ]; then
    measure "LlmRouter durable_log off, plain" "http://127.0.0.1:$ROUTER_PORT/v1/chat/completions" plain "$ROUTER_PID"
  else
    measure "LlmRouter auth+limits $auth, plain" "http://127.0.0.1:$ROUTER_PORT/v1/chat/completions" plain "$ROUTER_PID" "$key"
    measure "LlmRouter auth+limits $auth, stream" "http://127.0.0.1:$ROUTER_PORT/v1/chat/completions" stream "$ROUTER_PID" "$key"
  fi
  logged=$(curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$ROUTER_PORT/monitor/invocations?limit=1" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
  say "LlmRouter auth and limits $auth: ${logged:-?} invocations in the log"
  kill "$ROUTER_PID"; wait "$ROUTER_PID" 2>/dev/null || true
done

echo
echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per row (after ${WARMUP}s warm-up); $(nproc) CPUs: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "auth+limits on: a bearer API key, and request/token rate limits on the key and the model (bench/load/limits.toml), high enough never to refuse"
echo "durable_log off: auth and limits off, and answers do not wait for their log record and usage to be committed (default: they do)"
printf '%-34s %9s %9s %9s %11s %9s %9s %6s\n' target "req/s" p50 p99 "CPU us/req" "peak MB" "idle MB" non2xx
for row in "${ROWS[@]}"; do echo "$row"; done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.1fx", a / b; else printf "n/a" }'; }
echo
for kind in plain stream; do
  for auth in off on; do
    r="LlmRouter auth+limits $auth, $kind"
    line="$r: CPU per request $(ratio "${CPU[$r]:-0}" "${CPU[nginx proxy (floor), $kind]:-0}") nginx's"
    [ "$PORTKEY" = 0 ] || [ "$kind" = stream ] || line="$line; requests/s $(ratio "${RPS[$r]:-0}" "${RPS[Portkey gateway, $kind]:-0}") Portkey's"
    echo "$line"
  done
done
r="LlmRouter durable_log off, plain"
line="$r: CPU per request $(ratio "${CPU[$r]:-0}" "${CPU[nginx proxy (floor), plain]:-0}") nginx's"
[ "$PORTKEY" = 0 ] || line="$line; requests/s $(ratio "${RPS[$r]:-0}" "${RPS[Portkey gateway, plain]:-0}") Portkey's"
echo "$line"
