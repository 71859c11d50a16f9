#!/usr/bin/env bash
# Builds LlmRouter and runs every test suite, installing what the tests need on a fresh Debian machine.
# Prints one closing line "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== prerequisites"
# Debian's prometheus package: promtool and a throwaway Prometheus for the metrics tests. The tests start their
# own server on a free loopback port, so a service the package may have started elsewhere does not matter.
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -o DPkg::Lock::Timeout=600
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 prometheus
fi
if ! command -v npm >/dev/null; then
  echo "== installing npm (the build fetches llama.cpp's libraries from npm)"
  apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 npm
fi

# Debian's chromium for the console's browser tests (tests/Console.Tests drive it through Playwright; no browser
# download), and a small CJK font so the Chinese labels render in their screenshots.
console_packages=""
command -v chromium >/dev/null 2>&1 || console_packages="chromium"
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || console_packages="$console_packages fonts-wqy-microhei"
if [ -n "$console_packages" ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -o DPkg::Lock::Timeout=600
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 $console_packages
fi

echo "== build"
dotnet build LlmRouter.sln -c Release -warnaserror -nologo -v quiet

echo "== tests"
results=$(mktemp -d)
status=0
dotnet test LlmRouter.sln -c Release --no-build --nologo \
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
