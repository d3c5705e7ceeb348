#!/bin/sh
# Runs todo_api.py against a throwaway PostgreSQL cluster on the host, set up
# exactly as std/postgresql sets it up in the guest (the initial script and
# pg_hba.conf are taken from the compiled plan of todos.rig), and checks the
# answers language.md section 1 expects. Needs root (to run as `postgres`),
# PostgreSQL 15, python3-psycopg2 and curl; fails with a message saying what to install without them.
#
#   examples/todos/test_on_host.sh PLAN.json
set -eu
plan=$1
pgbin=/usr/lib/postgresql/15/bin
[ "$(id -u)" = 0 ] && [ -x $pgbin/postgres ] && id postgres >/dev/null 2>&1 &&
  command -v curl >/dev/null && /usr/bin/python3 -c 'import psycopg2' 2>/dev/null ||
  { echo "test_on_host: needs root, PostgreSQL 15, python3-psycopg2 and curl (bash scripts/setup installs them)" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/rig-todos.XXXXXX)
pgport=$((20000 + $$ % 20000)); apiport=$((pgport + 1))
cleanup() {
  [ -f "$dir/app.pid" ] && kill "$(cat "$dir/app.pid")" 2>/dev/null || true
  runuser -u postgres -- $pgbin/pg_ctl -D "$dir/main" stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
/usr/bin/python3 - "$plan" "$dir" <<'PY'
import json, sys
plan, out = sys.argv[1], sys.argv[2]
for node in json.load(open(plan))["nodes"]:
    for f in node["files"]:
        if f["path"].startswith("/etc/rig/postgresql/"):
            open(out + "/" + f["path"].rsplit("/", 1)[1], "w").write(f["content"])
PY
mkdir "$dir/run" && chown -R postgres "$dir"
runuser -u postgres -- $pgbin/initdb --no-sync --no-locale --encoding=UTF8 \
  --username=postgres --pgdata="$dir/main" >"$dir/initdb.log"
runuser -u postgres -- $pgbin/pg_ctl -D "$dir/main" -l "$dir/server.log" -w \
  -o "-c port=$pgport -c listen_addresses=127.0.0.1 -c hba_file=$dir/pg_hba.conf -c unix_socket_directories=$dir/run" start >/dev/null
runuser -u postgres -- $pgbin/psql -X -q -v ON_ERROR_STOP=1 -h "$dir/run" \
  -p $pgport -U postgres -d postgres -f "$dir/initial.sql"
DATABASE_URL="postgres://authenticator:mysecretpassword@localhost:$pgport/postgres" \
  /usr/bin/python3 "$here/todo_api.py" --port $apiport --bind 127.0.0.1 \
  --schema api --anon-role web_anon >"$dir/app.log" 2>&1 &
echo $! >"$dir/app.pid"
for i in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$apiport/todos" && break; sleep 0.2; done
got=$(curl --fail -s "http://127.0.0.1:$apiport/todos")
want='[{"id": 1, "done": false, "task": "finish tutorial 0", "due": null}, {"id": 2, "done": false, "task": "pat self on back", "due": null}]'
[ "$got" = "$want" ] || { echo "GET /todos: got $got"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{"task": "sneaky"}' "http://127.0.0.1:$apiport/todos")
[ "$status" = 401 ] || [ "$status" = 403 ] || { echo "POST /todos: status $status"; exit 1; }
got=$(curl --fail -s "http://127.0.0.1:$apiport/todos")
[ "$got" = "$want" ] || { echo "after POST: got $got"; exit 1; }
echo "ok: GET returns the two rows, POST is refused with $status"
