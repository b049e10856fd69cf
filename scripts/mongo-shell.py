#!/usr/bin/env python3
"""A small stand-in for mongosh where mongosh cannot be installed (offline-built images).

Python syntax with pymongo, `db` bound to the database:

    mongo-shell uptimebot                       # interactive
    mongo-shell uptimebot --eval 'db.monitors.find({"status": "down"})'
    mongo-shell --ping                          # exit 0 when mongod answers (health check)

Results print as MongoDB extended JSON, one document per line for cursors. The URI comes from
--uri, else MONGODB_URI, else mongodb://127.0.0.1:27017 (inside the mongodb container).
"""
import argparse
import code
import os
import sys


def redacted(uri: str) -> str:
    """The URI without its password, for messages (the health check's output lands in `docker inspect`)."""
    import re
    return re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", uri)


def main() -> int:
    parser = argparse.ArgumentParser(prog="mongo-shell", description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", default=os.environ.get("MONGODB_DATABASE", "uptimebot"))
    parser.add_argument("--uri", default=os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017"))
    parser.add_argument("--eval", dest="expr", help="evaluate one Python expression and print the result")
    parser.add_argument("--ping", action="store_true", help="exit 0 if the server answers ping within 3 s")
    args = parser.parse_args()

    try:
        import pymongo
        from bson import json_util
    except ImportError:
        print("mongo-shell needs pymongo (apt-get install python3-pymongo / pip install pymongo)", file=sys.stderr)
        return 2

    client = pymongo.MongoClient(args.uri, serverSelectionTimeoutMS=3000, connectTimeoutMS=3000)
    if args.ping:
        try:
            client.admin.command("ping")
            return 0
        except Exception as error:  # any failure means "not healthy"
            print(f"mongod not reachable at {redacted(args.uri)}: {error}", file=sys.stderr)
            return 1

    db = client[args.database]

    def show(value):
        if value is None:
            return
        if isinstance(value, (pymongo.cursor.Cursor, pymongo.command_cursor.CommandCursor)):
            count = 0
            for document in value:
                print(json_util.dumps(document, ensure_ascii=False))
                count += 1
            print(f"({count} document{'s' if count != 1 else ''})")
        elif isinstance(value, (dict, list)):
            print(json_util.dumps(value, indent=2, ensure_ascii=False))
        else:
            print(repr(value))

    namespace = {"db": db, "client": client, "pymongo": pymongo, "show": show,
                 "ObjectId": __import__("bson").ObjectId, "datetime": __import__("datetime")}
    if args.expr:
        show(eval(args.expr, namespace))
        return 0

    sys.displayhook = show
    banner = (f"mongo-shell: {redacted(args.uri)} db={args.database} (Python + pymongo; `db.<collection>.find({{...}})`, "
              f"`db.list_collection_names()`, Ctrl-D to quit)")
    code.interact(banner=banner, local=namespace, exitmsg="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
