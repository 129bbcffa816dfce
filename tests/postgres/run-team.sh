#!/usr/bin/env bash
# `make run-team`: a team workspace on this machine. A throwaway PostgreSQL server (see
# throwaway-server.sh) with the team schema, sample data moved in from a generated workspace, and
# two desktops, each its own window and data directory, working in it as two employees: Anna (an
# administrator) and Ben (a salesperson). Closing both windows stops the server and removes it.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=./target/debug/treffpunkt
gen=./target/debug/gen-data
[ -x "$bin" ] && [ -x "$gen" ] || { echo "build first: cargo build" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is missing (make deps installs 'postgresql')" >&2; exit 1; }

# The server's directory must be one the server's user can reach when run as root: /tmp itself.
server=/tmp/treffpunkt-team-$$
desks=target/run-team/$$
mkdir -p "$desks"
port=$(tests/postgres/throwaway-server.sh start "$server")
finish() {
	kill $(jobs -p) 2>/dev/null || true
	wait 2>/dev/null || true
	tests/postgres/throwaway-server.sh stop "$server"
	rm -rf "$desks"
}
trap finish EXIT
trap 'exit 130' INT TERM
export PGPASSWORD
PGPASSWORD=$(cat "$server/superuser-password")
sql() { psql -q -v ON_ERROR_STOP=1 "host=127.0.0.1 port=$port user=treffpunkt_admin dbname=$1" -c "$2"; }
connection=(--host 127.0.0.1 --port "$port" --database treffpunkt --plain)

sql postgres "CREATE DATABASE treffpunkt"
"$bin" --setup-team-database "${connection[@]}" --user treffpunkt_admin
"$gen" --activities 3000 --contacts 500 --out "$desks/sample.sqlite" >/dev/null
"$bin" --move-in "$desks/sample.sqlite" "${connection[@]}" --user treffpunkt_admin
sql treffpunkt "CREATE ROLE anna LOGIN PASSWORD 'anna' IN ROLE treffpunkt_admins;
                CREATE ROLE ben LOGIN PASSWORD 'ben' IN ROLE treffpunkt_users;
                UPDATE employees SET database_login = 'anna' WHERE id = (SELECT min(id) FROM employees);
                UPDATE employees SET database_login = 'ben'
                 WHERE id = (SELECT min(id) FROM employees WHERE database_login IS NULL);"

for who in anna ben; do
	PGPASSWORD=$who TREFFPUNKT_DATA_DIR=$desks/$who \
		"$bin" --save-team-database "${connection[@]}" --user "$who"
done
echo "Team database on 127.0.0.1:$port; two windows: anna (administrator) and ben (salesperson)."
TREFFPUNKT_DATA_DIR=$desks/anna "$bin" &
TREFFPUNKT_DATA_DIR=$desks/ben "$bin" &
wait
