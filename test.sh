#!/usr/bin/env bash
# The one test command (README): restores tools and packages, installs what optional suites need, runs every test,
# including the long reliability tests ([Trait("Category", "Long")]: real processes killed mid-burst, fault-injecting
# fake WeCom). `./test.sh --fast` leaves the Long category out for a quick local loop; CI (.ci/run) runs everything.
set -euo pipefail
cd "$(dirname "$0")"
filter=()
if [ "${1:-}" = "--fast" ]; then shift; filter=(--filter "Category!=Long"); fi
if [ -x scripts/install-test-deps.sh ]; then scripts/install-test-deps.sh || echo "test.sh: optional test dependencies could not be installed; those tests report why they did not run"; fi
dotnet tool restore
dotnet test Bot.sln --nologo "${filter[@]}" "$@"
