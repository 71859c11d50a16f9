#!/usr/bin/env bash
# Runs ClusterBench against a throwaway PostgreSQL (Debian's postgresql package) on a free loopback port.
# Options are passed on: bash bench/ClusterBench/run.sh --seconds 20 --concurrency 128 --nodes 1,3
# Another build with the same harness: --silo ../other-checkout/src/Silo/bin/Release/net10.0/LlmRouter.Silo.dll
set -euo pipefail
cd "$(dirname "$0")/../.."
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] || { echo "install PostgreSQL first: apt-get install -y postgresql" >&2; exit 1; }
pgdir=$(mktemp -d /tmp/llmrouter-bench-pg.XXXXXX)
pgport=$((20000 + RANDOM % 30000))
while (echo > "/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do pgport=$((20000 + RANDOM % 30000)); done
pgpass=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
echo "$pgpass" > "$pgdir/pwfile"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$pgdir"; as_pg=(runuser -u postgres --); fi
stop_postgres() { (cd /tmp && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true); rm -rf "$pgdir"; }
trap stop_postgres EXIT
(cd /tmp && "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -U postgres --pwfile="$pgdir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >/dev/null)
# Durable commits as in production (fsync and synchronous_commit stay on): the figures include the WAL flush.
(cd /tmp && "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -w -l "$pgdir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir -c max_connections=200 -c shared_buffers=256MB" start >/dev/null)
dotnet build -c Release bench/ClusterBench -nologo -v quiet
dotnet bench/ClusterBench/bin/Release/net10.0/ClusterBench.dll --postgres "postgresql://postgres:$pgpass@127.0.0.1:$pgport/postgres" \
    --postgres-pid "$(head -1 "$pgdir/data/postmaster.pid")" "$@"
