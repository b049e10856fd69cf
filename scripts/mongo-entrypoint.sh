#!/bin/sh
# Entrypoint of the `mongodb` service in docker-compose.prod.yml and docker-compose.proxmox.yml:
# mongod always runs with --auth. On the first start of a data directory (no marker file
# .uptimebot-auth in it, which also covers data carried over from a release without
# authentication) it first starts mongod on a loopback-only port, creates
#   - the root user MONGO_INITDB_ROOT_USERNAME / MONGO_INITDB_ROOT_PASSWORD (in admin), and
#   - the bot's user, name and password taken from MONGODB_URI (the URI the bot connects with),
#     with readWrite + dbAdmin on MONGODB_DATABASE only,
# stops it and writes the marker. Works with the offline image (uptimebot/mongo, pymongo) and the
# official mongo image (mongosh). Passwords travel in the environment only, never in arguments
# or output. Extra arguments go to mongod.
set -eu

dbpath=/data/db
marker=$dbpath/.uptimebot-auth
init_port=27099 # not 27017: the health check must not pass while the users are being created
say() { echo "mongo-entrypoint: $*" >&2; }

: "${MONGO_INITDB_ROOT_USERNAME:=root}"
export MONGO_INITDB_ROOT_USERNAME MONGODB_DATABASE="${MONGODB_DATABASE:-uptimebot}"

create_users_pymongo() {
    python3 - "$init_port" <<'EOF'
import os, sys, urllib.parse
import pymongo
uri = urllib.parse.urlsplit(os.environ["MONGODB_URI"])
bot_user = urllib.parse.unquote(uri.username or "")
bot_password = urllib.parse.unquote(uri.password or "")
if not bot_user or not bot_password:
    sys.exit("mongo-entrypoint: MONGODB_URI has no user:password; set mongodb://USER:PASSWORD@mongodb:27017/?authSource=admin in prod.env")
database = os.environ["MONGODB_DATABASE"]
client = pymongo.MongoClient("127.0.0.1", int(sys.argv[1]), serverSelectionTimeoutMS=30000, directConnection=True)
admin = client.admin
def ensure(user, password, roles):
    verb = "updateUser" if admin.command("usersInfo", user)["users"] else "createUser"
    admin.command(verb, user, pwd=password, roles=roles)
    print(f"mongo-entrypoint: {verb} {user} (roles: {', '.join(r['role'] + '@' + r['db'] for r in roles)})", file=sys.stderr)
ensure(os.environ["MONGO_INITDB_ROOT_USERNAME"], os.environ["MONGO_INITDB_ROOT_PASSWORD"], [{"role": "root", "db": "admin"}])
ensure(bot_user, bot_password, [{"role": "readWrite", "db": database}, {"role": "dbAdmin", "db": database}])
EOF
}

create_users_mongosh() {
    for _ in $(seq 60); do
        mongosh --quiet --port "$init_port" --eval 'db.adminCommand({ping: 1})' >/dev/null 2>&1 && break
        sleep 1
    done
    mongosh --quiet --port "$init_port" admin --eval '
        const uri = new URL(process.env.MONGODB_URI);
        const botUser = decodeURIComponent(uri.username), botPassword = decodeURIComponent(uri.password);
        if (!botUser || !botPassword) {
            print("mongo-entrypoint: MONGODB_URI has no user:password; set mongodb://USER:PASSWORD@mongodb:27017/?authSource=admin in prod.env");
            quit(1);
        }
        const database = process.env.MONGODB_DATABASE;
        function ensure(user, pwd, roles) {
            const verb = db.getUser(user) ? "updateUser" : "createUser";
            db.runCommand({[verb]: user, pwd: pwd, roles: roles});
            print("mongo-entrypoint: " + verb + " " + user);
        }
        ensure(process.env.MONGO_INITDB_ROOT_USERNAME, process.env.MONGO_INITDB_ROOT_PASSWORD, [{role: "root", db: "admin"}]);
        ensure(botUser, botPassword, [{role: "readWrite", db: database}, {role: "dbAdmin", db: database}]);'
}

if [ ! -f "$marker" ]; then
    if [ -z "${MONGO_INITDB_ROOT_PASSWORD:-}" ]; then
        say "MONGO_INITDB_ROOT_PASSWORD is empty: set it in prod.env (install.sh generates one); refusing to start without authentication"
        exit 1
    fi
    if [ -z "${MONGODB_URI:-}" ]; then
        say "MONGODB_URI is not set for the mongodb service: the bot's user is taken from it"
        exit 1
    fi
    say "first start of $dbpath with authentication: creating the users"
    mongod --dbpath "$dbpath" --bind_ip 127.0.0.1 --port "$init_port" --wiredTigerCacheSizeGB 0.25 \
        --logpath "$dbpath/init-users.log" --logappend &
    init_pid=$!
    if command -v mongosh >/dev/null 2>&1; then created=create_users_mongosh; else created=create_users_pymongo; fi
    if ! $created; then
        kill "$init_pid" 2>/dev/null || true
        wait "$init_pid" 2>/dev/null || true
        say "could not create the users (mongod's log: data/mongodb/init-users.log)"
        exit 1
    fi
    kill -TERM "$init_pid"
    wait "$init_pid" || true
    : >"$marker"
    say "users created; restarting mongod with --auth"
fi
exec mongod --auth "$@"
