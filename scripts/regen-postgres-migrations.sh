#!/usr/bin/env bash
# Regenerates the single PostgreSQL migration (PostgresBotDb) from the model (development only, before the first release).
# Needs no server. Run it whenever scripts/regen-migrations.sh is run: both providers share one model.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf src/Domain/Persistence/Postgres/Migrations src/Domain/RapidResponse
# Build first so no stale model snapshot from an earlier build is compared against.
dotnet build src/Domain -nologo -v q >/dev/null
dotnet dotnet-ef migrations add Initial --no-build --context PostgresBotDb --project src/Domain --startup-project src/Domain \
  --output-dir Persistence/Postgres/Migrations --namespace RapidResponse.Domain.Persistence.Postgres.Migrations
# dotnet-ef files the snapshot by namespace, not by --output-dir: put it beside its migration.
find src/Domain/RapidResponse -name '*ModelSnapshot.cs' -exec mv {} src/Domain/Persistence/Postgres/Migrations/ \;
rm -rf src/Domain/RapidResponse
