#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, the benchmarks and `make run-team`: initdb and
# pg_ctl in a directory of its own, on a free loopback port, with a superuser whose password is
# random (SCRAM, as a team server would ask). Nothing of the machine's own clusters is touched.
#
#   throwaway-server.sh start DIR [WATCH_PID]   prints "PORT" once the server accepts connections;
#                                               with WATCH_PID, the server stops and DIR is removed
#                                               when that process ends (a test run killed midway
#                                               leaves no server behind)
#   throwaway-server.sh stop DIR                stops it and removes DIR
#
# The superuser is `treffpunkt_admin`; its password is in DIR/superuser-password (mode 0600).
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user that
# Debian's package creates (or `nobody`), and DIR is handed to that user: DIR's parent must be
# one that user can pass through (e.g. /tmp itself, not a private directory beneath it).
set -euo pipefail

bindir() {
	local dir
	dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
		echo "$dir"
	elif command -v initdb >/dev/null; then
		dirname "$(command -v initdb)"
	else
		echo "PostgreSQL's server is not installed (make deps installs the Debian package 'postgresql')" >&2
		exit 1
	fi
}

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$OWNER" -- "$@"
	else
		"$@"
	fi
}

start() {
	local dir=$1 watch=${2:-}
	local bin
	bin=$(bindir)
	OWNER=$(id -un)
	if [ "$(id -u)" = 0 ]; then
		OWNER=$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)
	fi
	mkdir -p "$dir"
	chmod 0700 "$dir"
	head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/superuser-password"
	chmod 0600 "$dir/superuser-password"
	[ "$(id -u)" = 0 ] && chown -R "$OWNER" "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -U treffpunkt_admin --pwfile="$dir/superuser-password" \
		--auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	local port tries=0
	while :; do
		port=$((20000 + RANDOM % 40000))
		# Loopback only; the socket in DIR, not in /run (which a test user may not write).
		if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
			-o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=200" \
			>/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 10 ]; then
			echo "PostgreSQL did not start; its log:" >&2
			cat "$dir/server.log" >&2
			exit 1
		fi
	done
	echo "$port" >"$dir/port"
	if [ -n "$watch" ]; then
		# Detached from the caller's output, so that a test harness waiting for EOF is not held.
		nohup bash -c "while kill -0 $watch 2>/dev/null; do sleep 1; done; '$0' stop '$dir'" \
			>/dev/null 2>&1 &
	fi
	echo "$port"
}

stop() {
	local dir=$1
	[ -d "$dir/data" ] || { rm -rf "$dir"; return 0; }
	local bin
	bin=$(bindir)
	OWNER=$(stat -c %U "$dir/data")
	as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

case "${1:-}" in
start) start "$2" "${3:-}" ;;
stop) stop "$2" ;;
*)
	echo "usage: $0 start DIR [WATCH_PID] | stop DIR" >&2
	exit 2
	;;
esac
