#!/usr/bin/env bash
# Backs up the MongoDB of the running UptimeBot release (docker-compose.prod.yml) into one archive
# with a SHA256 file beside it, then applies the retention.
#   - the mongodb container has mongodump (the official mongo image): `mongodump --archive --gzip`
#     as MongoDB's root user → uptime-bot-<UTC time>.mongodump.gz
#   - otherwise (the offline image): a consistent snapshot of data/mongodb taken while mongod is
#     fsyncLock'ed (writes wait, reads go on; unlocked on every exit path)
#     → uptime-bot-<UTC time>.data.tar.gz
#   - --stop: stop the stack, copy, start it again (when neither of the above can be used)
# Usage: backup.sh [--release-dir DIR] [--output DIR] [--keep-daily N] [--keep-weekly M] [--stop]
#   --release-dir  the release whose prod.env and data/ are used (default: where the running
#                  uptime-bot container was started from)
#   --output       where archives go (default /var/backups/uptime-bot)
#   --keep-daily   newest archive of each of the last N days with backups kept (default 7)
#   --keep-weekly  newest archive of each of the last M ISO weeks with backups kept (default 4)
# restore.sh restores an archive. Scheduled by deploy/uptime-bot-backup.timer or deploy/uptime-bot-backup.cron.
# Exit: 0 archive written and verified; 1 failed (no partial archive is left); 2 usage.
set -euo pipefail

release_dir=""
output=/var/backups/uptime-bot
keep_daily=7
keep_weekly=4
stop_copy=0
while [ $# -gt 0 ]; do
    case $1 in
        --release-dir) release_dir=${2:?}; shift 2 ;;
        --output) output=${2:?}; shift 2 ;;
        --keep-daily) keep_daily=${2:?}; shift 2 ;;
        --keep-weekly) keep_weekly=${2:?}; shift 2 ;;
        --stop) stop_copy=1; shift ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) echo "backup.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $keep_daily =~ ^[0-9]+$ && $keep_weekly =~ ^[0-9]+$ ]] || { echo "backup.sh: --keep-daily/--keep-weekly need numbers" >&2; exit 2; }

say() { printf '[backup %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[backup] FAILED: %s\n' "$*" >&2; exit 1; }

if [ -z "$release_dir" ]; then
    release_dir=$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.project.working_dir" }}' uptime-bot 2>/dev/null || true)
    [ -n "$release_dir" ] && [ "$release_dir" != "<no value>" ] || die "no running uptime-bot container; name the release with --release-dir"
fi
release_dir=$(cd "$release_dir" && pwd -P)
[ -f "$release_dir/prod.env" ] || die "$release_dir/prod.env not found"
if docker compose version >/dev/null 2>&1; then compose_cmd=(docker compose); else compose_cmd=(docker-compose); fi
compose_files=(-f docker-compose.prod.yml)
[ -f "$release_dir/docker-compose.local.yml" ] && compose_files+=(-f docker-compose.local.yml)
compose() { (cd "$release_dir" && "${compose_cmd[@]}" -p uptime-bot --env-file prod.env "${compose_files[@]}" "$@"); }

# prod.env is read, not sourced: it is data, not a script. The password goes to the container in
# the environment only (docker exec -e NAME copies it from here), never in an argument.
env_value() { sed -n "s/^$1=//p" "$release_dir/prod.env" | tail -1; }
MONGO_USER=$(env_value MONGO_INITDB_ROOT_USERNAME)
MONGO_PASSWORD=$(env_value MONGO_INITDB_ROOT_PASSWORD)
export MONGO_USER=${MONGO_USER:-root} MONGO_PASSWORD
[ -n "$MONGO_PASSWORD" ] || die "MONGO_INITDB_ROOT_PASSWORD is empty in $release_dir/prod.env"

mkdir -p "$output"
chmod 0700 "$output" # the archives hold every user's phone number
stamp=$(date -u +%Y%m%dT%H%M%SZ)
umask 077

if [ "$stop_copy" = 0 ] && docker exec mongodb sh -c 'command -v mongodump' >/dev/null 2>&1; then
    archive=$output/uptime-bot-$stamp.mongodump.gz
    say "mongodump --archive --gzip from the mongodb container"
    docker exec -e MONGO_USER -e MONGO_PASSWORD mongodb sh -c \
        'exec mongodump --quiet --username "$MONGO_USER" --password "$MONGO_PASSWORD" --authenticationDatabase admin --archive --gzip' \
        >"$archive.partial" || { rm -f "$archive.partial"; die "mongodump failed (see above)"; }
elif [ "$stop_copy" = 0 ] && docker exec mongodb sh -c 'command -v python3' >/dev/null 2>&1; then
    archive=$output/uptime-bot-$stamp.data.tar.gz
    fsync() { # fsync lock|unlock — as MongoDB's root user, through pymongo in the container
        docker exec -e MONGO_USER -e MONGO_PASSWORD -e ACTION="$1" mongodb python3 -c '
import os, pymongo
c = pymongo.MongoClient("127.0.0.1", 27017, username=os.environ["MONGO_USER"], password=os.environ["MONGO_PASSWORD"],
                        authSource="admin", directConnection=True, serverSelectionTimeoutMS=10000)
if os.environ["ACTION"] == "lock":
    c.admin.command("fsync", lock=True)
else:
    while c.admin.command("currentOp").get("fsyncLock"):
        c.admin.command("fsyncUnlock")
'
    }
    say "fsyncLock, snapshot of $release_dir/data/mongodb, fsyncUnlock"
    fsync lock || die "fsyncLock refused (root user and password in prod.env?)"
    trap 'fsync unlock || say "WARNING: fsyncUnlock failed: writes wait until mongod restarts"' EXIT
    tar -C "$release_dir/data/mongodb" --exclude=./mongod.lock --exclude=./diagnostic.data -czf "$archive.partial" . \
        || { rm -f "$archive.partial"; die "copying data/mongodb failed (see above)"; }
    fsync unlock || die "fsyncUnlock failed: restart the stack (writes are blocked)"
    trap - EXIT
else
    archive=$output/uptime-bot-$stamp.data.tar.gz
    say "stop the stack, copy $release_dir/data/mongodb, start it again"
    trap 'compose start >/dev/null 2>&1 || true' EXIT
    compose stop --timeout 30
    tar -C "$release_dir/data/mongodb" -czf "$archive.partial" . || { rm -f "$archive.partial"; die "copying data/mongodb failed"; }
    compose start
    trap - EXIT
fi

gzip -t "$archive.partial" || { rm -f "$archive.partial"; die "the archive does not read back"; }
mv "$archive.partial" "$archive"
(cd "$output" && sha256sum "$(basename "$archive")" >"$(basename "$archive").sha256")
say "wrote $archive ($(du -h "$archive" | cut -f1)) and $(basename "$archive").sha256"

# --- retention: the newest archive of each of the last N days and of the last M weeks ---------
declare -A days=() weeks=()
kept=0 removed=0
for file in $(find "$output" -maxdepth 1 -name 'uptime-bot-*Z.*.gz' -printf '%f\n' | LC_ALL=C sort -r); do
    day=${file#uptime-bot-}; day=${day%%T*}
    week=$(date -u -d "$day" +%G-%V 2>/dev/null || echo "?")
    keep=0
    if [ -z "${days[$day]:-}" ] && [ "${#days[@]}" -lt "$keep_daily" ]; then days[$day]=1; keep=1; fi
    if [ -z "${weeks[$week]:-}" ] && [ "${#weeks[@]}" -lt "$keep_weekly" ]; then weeks[$week]=1; keep=1; fi
    [ "$file" = "$(basename "$archive")" ] && keep=1
    if [ "$keep" = 1 ]; then kept=$((kept + 1)); else rm -f "$output/$file" "$output/$file.sha256"; removed=$((removed + 1)); fi
done
say "retention ($keep_daily daily, $keep_weekly weekly): $kept kept, $removed removed"
