#!/bin/sh
# Entrypoint of the mongod members in docker-compose.cluster.yml: a replica set whose members
# authenticate each other with a keyfile, and clients with users (--keyFile implies --auth).
#   MONGO_KEYFILE       the shared secret (6-1024 base64 characters), the same on every member;
#                       written to a file only mongod can read, never printed
#   MONGO_REPLSET       the set's name (rs0); MONGO_MEMBERS: host:port of every member, comma-separated
#   MONGO_INITIATOR=1   on one member only: initiates the set on first start and creates the root
#                       user and the bot's user (from MONGODB_URI), through the localhost exception
# Works with the offline image (pymongo) and the official mongo image (mongosh). Extra arguments go to mongod.
set -eu
say() { echo "mongo-replset: $*" >&2; }
: "${MONGO_KEYFILE:?set MONGO_KEYFILE in the env file (openssl rand -base64 756)}"
: "${MONGO_REPLSET:=rs0}"
keyfile=/tmp/mongo-keyfile
umask 077
printf '%s\n' "$MONGO_KEYFILE" >"$keyfile"
chmod 400 "$keyfile"

mongod --replSet "$MONGO_REPLSET" --keyFile "$keyfile" --bind_ip_all --port 27017 --dbpath /data/db "$@" &
pid=$!
trap 'kill -TERM "$pid"; wait "$pid"' TERM INT

if [ "${MONGO_INITIATOR:-0}" = 1 ] && [ ! -f /data/db/.uptimebot-replset ]; then
    : "${MONGO_MEMBERS:?set MONGO_MEMBERS (host:port,host:port,host:port)}"
    say "initiating replica set $MONGO_REPLSET with $MONGO_MEMBERS and creating the users"
    export MONGO_REPLSET MONGO_MEMBERS
    if command -v mongosh >/dev/null 2>&1; then
        for _ in $(seq 60); do mongosh --quiet --eval 'db.adminCommand({ping: 1})' >/dev/null 2>&1 && break; sleep 1; done
        mongosh --quiet admin --eval '
            const members = process.env.MONGO_MEMBERS.split(",").map((host, i) => ({_id: i, host}));
            try { rs.initiate({_id: process.env.MONGO_REPLSET, members}); } catch (e) { print(e.message); }
            while (!db.hello().isWritablePrimary) { sleep(500); }
            const uri = new URL(process.env.MONGODB_URI);
            db.createUser({user: process.env.MONGO_INITDB_ROOT_USERNAME || "root",
                pwd: process.env.MONGO_INITDB_ROOT_PASSWORD, roles: [{role: "root", db: "admin"}]});
            db.auth(process.env.MONGO_INITDB_ROOT_USERNAME || "root", process.env.MONGO_INITDB_ROOT_PASSWORD);
            const database = process.env.MONGODB_DATABASE || "uptimebot";
            db.createUser({user: decodeURIComponent(uri.username), pwd: decodeURIComponent(uri.password),
                roles: [{role: "readWrite", db: database}, {role: "dbAdmin", db: database}]});'
    else
        python3 - <<'PY'
import os, time, urllib.parse
import pymongo
client = pymongo.MongoClient("127.0.0.1", 27017, directConnection=True, serverSelectionTimeoutMS=60000)
members = [{"_id": i, "host": h} for i, h in enumerate(os.environ["MONGO_MEMBERS"].split(","))]
try:
    client.admin.command("replSetInitiate", {"_id": os.environ["MONGO_REPLSET"], "members": members})
except pymongo.errors.OperationFailure as error:
    print("mongo-replset:", error)
while not client.admin.command("hello").get("isWritablePrimary"):
    time.sleep(0.5)
root = os.environ.get("MONGO_INITDB_ROOT_USERNAME") or "root"
client.admin.command("createUser", root, pwd=os.environ["MONGO_INITDB_ROOT_PASSWORD"], roles=[{"role": "root", "db": "admin"}])
client = pymongo.MongoClient("127.0.0.1", 27017, directConnection=True, username=root,
                             password=os.environ["MONGO_INITDB_ROOT_PASSWORD"])
uri = urllib.parse.urlsplit(os.environ["MONGODB_URI"])
database = os.environ.get("MONGODB_DATABASE") or "uptimebot"
client.admin.command("createUser", urllib.parse.unquote(uri.username or ""), pwd=urllib.parse.unquote(uri.password or ""),
                     roles=[{"role": "readWrite", "db": database}, {"role": "dbAdmin", "db": database}])
PY
    fi
    touch /data/db/.uptimebot-replset
    say "replica set initiated; users created"
fi
wait "$pid"
