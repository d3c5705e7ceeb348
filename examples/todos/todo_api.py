#!/usr/bin/python3
"""A tiny PostgREST-like REST API over one PostgreSQL schema.

    todo_api.py --port 3000 --schema api --anon-role web_anon

Connects with $DATABASE_URL (as the `authenticator` role) and runs every
request inside a transaction after `SET LOCAL ROLE <anon-role>`, so the
database's grants decide what a request may do, as in PostgREST:

    GET  /TABLE   every row as a JSON object, ordered by the first column
                  (timestamps as ISO 8601 strings, NULL as null)
    POST /TABLE   insert the JSON object (or list of objects) in the body;
                  201 with the inserted rows, 401 when the role lacks the
                  privilege (PostgREST answers 401 to the anonymous role)

Only the Python 3 standard library and psycopg2 (python3-psycopg2).
"""

import argparse
import datetime
import decimal
import json
import os
import re
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import psycopg2.errors
from psycopg2 import sql

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def to_json_value(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def rows_as_objects(cursor):
    names = [column.name for column in cursor.description]
    return [
        {name: to_json_value(value) for name, value in zip(names, row)}
        for row in cursor.fetchall()
    ]


class Api:
    def __init__(self, database_url, schema, anon_role):
        self.database_url = database_url
        self.schema = schema
        self.anon_role = anon_role

    def run(self, table, work):
        """Runs work(cursor, table_identifier) as the anonymous role.

        Returns (status, body)."""
        try:
            connection = psycopg2.connect(self.database_url)
        except psycopg2.OperationalError as error:
            return 503, {"message": "database unavailable: %s" % error}
        try:
            with connection:  # one transaction, committed on success
                with connection.cursor() as cursor:
                    cursor.execute(
                        sql.SQL("SET LOCAL ROLE {}").format(
                            sql.Identifier(self.anon_role)))
                    target = sql.Identifier(self.schema, table)
                    return work(cursor, target)
        except psycopg2.errors.InsufficientPrivilege as error:
            return 401, {"code": error.pgcode, "message": error.pgerror.strip()}
        except psycopg2.errors.UndefinedTable as error:
            return 404, {"code": error.pgcode, "message": error.pgerror.strip()}
        except (psycopg2.DataError, psycopg2.IntegrityError,
                psycopg2.ProgrammingError) as error:
            return 400, {"code": error.pgcode,
                         "message": (error.pgerror or str(error)).strip()}
        finally:
            connection.close()

    def select(self, table):
        def work(cursor, target):
            cursor.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(target))
            return 200, rows_as_objects(cursor)
        return self.run(table, work)

    def insert(self, table, body):
        rows = body if isinstance(body, list) else [body]
        if not rows or not all(isinstance(row, dict) and row for row in rows):
            return 400, {"message": "expected a JSON object or a list of objects"}

        def work(cursor, target):
            inserted = []
            for row in rows:
                columns = list(row)
                if not all(IDENTIFIER.match(c) for c in columns):
                    return 400, {"message": "bad column name"}
                cursor.execute(
                    sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING *").format(
                        target,
                        sql.SQL(", ").join(map(sql.Identifier, columns)),
                        sql.SQL(", ").join(sql.Placeholder() * len(columns))),
                    [row[c] for c in columns])
                inserted.extend(rows_as_objects(cursor))
            return 201, inserted
        return self.run(table, work)


def make_handler(api):
    class Handler(BaseHTTPRequestHandler):
        server_version = "todo-api/1"

        def table(self):
            path = self.path.split("?", 1)[0].strip("/")
            return path if IDENTIFIER.match(path) else None

        def reply(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            table = self.table()
            if table is None:
                return self.reply(404, {"message": "no such resource"})
            self.reply(*api.select(table))

        def do_POST(self):
            table = self.table()
            if table is None:
                return self.reply(404, {"message": "no such resource"})
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError:
                return self.reply(400, {"message": "the body is not JSON"})
            self.reply(*api.insert(table, body))

        def log_message(self, format, *args):
            sys.stderr.write("todo-api: %s\n" % (format % args))

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--bind", default="0.0.0.0")
    parser.add_argument("--schema", default="public")
    parser.add_argument("--anon-role", required=True)
    args = parser.parse_args()
    for name in (args.schema, args.anon_role):
        if not IDENTIFIER.match(name):
            parser.error("not an SQL identifier: %r" % name)
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        parser.error("DATABASE_URL is not set")
    api = Api(database_url, args.schema, args.anon_role)
    server = ThreadingHTTPServer((args.bind, args.port), make_handler(api))
    sys.stderr.write("todo-api: listening on %s:%d\n" % (args.bind, args.port))
    server.serve_forever()


if __name__ == "__main__":
    main()
