#!/usr/bin/env bash
# Installs (Debian package) and starts a local PostgreSQL on 127.0.0.1:5432 for the PostgreSQL tests, and prints the
# connection string to use as RRB_TEST_POSTGRES. Safe to run twice. Needs root (CI machines run as root).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "start-postgres.sh: PostgreSQL is not installed and this is not root" >&2; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then pg_createcluster "$version" main >/dev/null; fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then pg_ctlcluster "$version" main start; fi
for i in $(seq 1 30); do
  if su postgres -c "psql -h 127.0.0.1 -Atc 'select 1'" >/dev/null 2>&1 || su postgres -c "psql -Atc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'rrb-test'\"" >/dev/null
echo "Host=127.0.0.1;Port=5432;Username=postgres;Password=rrb-test"
