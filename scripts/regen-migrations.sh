#!/usr/bin/env bash
# Regenerates the single SQLite migration from the model (development only, before the first release).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf src/Domain/Persistence/Migrations src/Domain/RapidResponse
# Build first so no stale model snapshot from an earlier build is compared against.
dotnet build src/Domain -nologo -v q >/dev/null
dotnet dotnet-ef migrations add Initial --no-build --context BotDb --project src/Domain --startup-project src/Domain --output-dir Persistence/Migrations
rm -f src/Domain/design.db
