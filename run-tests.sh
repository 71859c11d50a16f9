#!/usr/bin/env bash
# Builds LlmRouter and runs every test suite, installing what the tests need on a fresh Debian machine.
# Prints one closing line "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== prerequisites"
# PostgreSQL (store tests and the cluster test), nginx (cluster test), docker-compose (validates docker-compose.yml),
# Debian's prometheus package (promtool and a throwaway Prometheus for the metrics tests, which start their own server
# on a free loopback port, so a service the package may have started elsewhere does not matter).
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
missing=()
[ -n "$(pg_bin)" ] || missing+=(postgresql)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/bin/docker-compose ] || missing+=(docker-compose)
{ command -v promtool && command -v prometheus; } >/dev/null 2>&1 || missing+=(prometheus)
command -v npm >/dev/null 2>&1 || missing+=(npm)  # the build builds the web console (ui/) with npm
# Debian's chromium for the console's browser tests (tests/Console.Tests drive it through Playwright; no browser
# download), and a small CJK font so the Chinese labels render in their screenshots.
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -o DPkg::Lock::Timeout=600
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi

# The OpenAI Agents SDK that tests/Api.Tests runs a one-tool agent with, as its lock file pins it.
echo "npm ci tests/Api.Tests/Agents (@openai/agents)"
(cd tests/Api.Tests/Agents && npm ci --no-audit --no-fund --loglevel=error)

# A throwaway PostgreSQL on a free loopback port, stopped on exit; tests read its URL from LLM_ROUTER_TEST_POSTGRES.
if [ -z "${LLM_ROUTER_TEST_POSTGRES:-}" ]; then
  pgbin=$(pg_bin)
  pgdir=$(mktemp -d /tmp/llmrouter-pg.XXXXXX)
  pgport=$((20000 + RANDOM % 30000))
  while (echo > "/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do pgport=$((20000 + RANDOM % 30000)); done
  pgpass=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  echo "$pgpass" > "$pgdir/pwfile"
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$pgdir"; as_pg=(runuser -u postgres --); fi
  stop_postgres() { (cd /tmp && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true); rm -rf "$pgdir"; }
  trap stop_postgres EXIT
  (cd /tmp && "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --pwfile="$pgdir/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >/dev/null)
  (cd /tmp && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir -c max_connections=300 -c fsync=off -c synchronous_commit=off" start >/dev/null)
  export LLM_ROUTER_TEST_POSTGRES="postgresql://postgres:$pgpass@127.0.0.1:$pgport/postgres"
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pgport"
fi

echo "== build"
dotnet build LlmRouter.sln -c Release -warnaserror -nologo -v quiet

echo "== tests"
results=$(mktemp -d)
status=0
# -m:1: one test assembly at a time; cluster, browser and API suites each start many processes on two cores.
dotnet test LlmRouter.sln -c Release --no-build --nologo -m:1 \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1800000 || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
done
rm -rf "$results"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
