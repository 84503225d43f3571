#!/usr/bin/env bash
# The one test command (README): restores tools and packages, installs what optional suites need, runs every test.
set -euo pipefail
cd "$(dirname "$0")"
if [ -x scripts/install-test-deps.sh ]; then scripts/install-test-deps.sh || echo "test.sh: optional test dependencies could not be installed; those tests report why they did not run"; fi
dotnet tool restore
dotnet test Bot.sln --nologo "$@"
