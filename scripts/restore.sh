#!/usr/bin/env bash
# Restores a backup made by backup.sh into a release directory (on this host or a new one) and
# starts it:
#   1. verifies ARCHIVE against ARCHIVE.sha256 (a damaged archive changes nothing);
#   2. stops the running uptime-bot stack (whichever release directory it runs from);
#   3. .data.tar.gz: the release's data/mongodb is moved aside to data/mongodb.before-restore-<time>
#      and the snapshot unpacked in its place; .mongodump.gz: mongod alone is started and
#      `mongorestore --drop --archive --gzip` run in its container;
#   4. starts the release and waits until the bot is healthy.
# Users stay signed in and dialogs continue: users, FSM states and the outbox are in the archive.
# A snapshot carries MongoDB's users too: restore it with the prod.env of the host it came from
# (same MONGO_INITDB_ROOT_PASSWORD and MONGODB_URI).
# Usage: restore.sh [--release-dir DIR] [--timeout SEC] ARCHIVE
#   --release-dir  release to restore into (default: where the running uptime-bot was started from)
#   --timeout      seconds to wait for healthy (default 180)
# Exit: 0 restored and healthy; 1 failed; 2 usage; 3 refused (checksum, missing files), nothing changed.
set -euo pipefail

release_dir=""
timeout=180
archive=""
while [ $# -gt 0 ]; do
    case $1 in
        --release-dir) release_dir=${2:?}; shift 2 ;;
        --timeout) timeout=${2:?}; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        -*) echo "restore.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
        *) archive=$1; shift ;;
    esac
done
[ -n "$archive" ] || { echo "restore.sh: name the archive (see --help)" >&2; exit 2; }

say() { printf '[restore %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
refuse() { printf '[restore] REFUSED: %s\n[restore] Nothing was changed.\n' "$*" >&2; exit 3; }
die() { printf '[restore] FAILED: %s\n' "$*" >&2; exit 1; }

running=$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.project.working_dir" }}' uptime-bot 2>/dev/null || true)
[ "$running" = "<no value>" ] && running=""
[ -n "$release_dir" ] || release_dir=$running
[ -n "$release_dir" ] || refuse "no running uptime-bot container; name the release with --release-dir"
release_dir=$(cd "$release_dir" && pwd -P)
[ -f "$release_dir/prod.env" ] && [ -f "$release_dir/docker-compose.prod.yml" ] \
    || refuse "$release_dir has no prod.env or docker-compose.prod.yml"

[ -f "$archive" ] || refuse "$archive not found"
[ -f "$archive.sha256" ] || refuse "$archive.sha256 not found: an archive without its checksum is not restored"
(cd "$(dirname "$archive")" && sha256sum --quiet --strict -c "$(basename "$archive").sha256") \
    || refuse "$archive does not match its SHA256: damaged or incomplete"
say "checksum of $(basename "$archive") verified"
case $archive in
    *.data.tar.gz) kind=snapshot ;;
    *.mongodump.gz) kind=dump ;;
    *) refuse "$archive: not a backup.sh archive (.data.tar.gz or .mongodump.gz)" ;;
esac

if docker compose version >/dev/null 2>&1; then compose_cmd=(docker compose); else compose_cmd=(docker-compose); fi
compose_in() { # compose_in DIR ARGS… — the stack of the release in DIR
    local dir=$1 files=(-f docker-compose.prod.yml); shift
    [ -f "$dir/docker-compose.local.yml" ] && files+=(-f docker-compose.local.yml)
    (cd "$dir" && "${compose_cmd[@]}" -p uptime-bot --env-file prod.env "${files[@]}" "$@")
}
wait_healthy() { # wait_healthy CONTAINER SECONDS
    local deadline=$((SECONDS + $2)) status
    while [ $SECONDS -lt $deadline ]; do
        status=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2>/dev/null || echo missing)
        [ "$status" = healthy ] && return 0
        sleep 2
    done
    say "$1 not healthy after $2 s (last status: $status)"
    return 1
}

if [ -n "$running" ] && [ -d "$running" ]; then
    say "stopping the running stack ($running)"
    compose_in "$running" down --timeout 30
fi
compose_in "$release_dir" down --timeout 30 >/dev/null 2>&1 || true

stamp=$(date -u +%Y%m%dT%H%M%SZ)
data=$release_dir/data/mongodb
mkdir -p "$release_dir/data"
if [ -d "$data" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then
    mv "$data" "$data.before-restore-$stamp"
    say "the previous data is kept in $data.before-restore-$stamp"
fi
mkdir -p "$data"
if [ "$kind" = snapshot ]; then
    say "unpacking the snapshot into $data"
    tar -C "$data" -xzf "$archive" || die "unpacking failed (the previous data is in $data.before-restore-$stamp)"
    chown -R 999:999 "$data" || die "cannot chown $data to uid 999 (run as root)"
    compose_in "$release_dir" up -d --no-build
else
    chown 999:999 "$data" || die "cannot chown $data to uid 999 (run as root)"
    compose_in "$release_dir" up -d --no-build mongodb
    wait_healthy mongodb "$timeout" || die "mongodb did not become healthy"
    env_value() { sed -n "s/^$1=//p" "$release_dir/prod.env" | tail -1; }
    MONGO_USER=$(env_value MONGO_INITDB_ROOT_USERNAME)
    MONGO_PASSWORD=$(env_value MONGO_INITDB_ROOT_PASSWORD)
    export MONGO_USER=${MONGO_USER:-root} MONGO_PASSWORD
    say "mongorestore --drop --archive --gzip"
    docker exec -i -e MONGO_USER -e MONGO_PASSWORD mongodb sh -c \
        'exec mongorestore --quiet --drop --username "$MONGO_USER" --password "$MONGO_PASSWORD" --authenticationDatabase admin --archive --gzip' \
        <"$archive" || die "mongorestore failed (see above)"
    compose_in "$release_dir" up -d --no-build
fi
wait_healthy uptime-bot "$timeout" || { docker logs --tail 30 uptime-bot 2>&1 | sed 's/^/  /'; die "the bot did not become healthy after the restore"; }
say "restored $(basename "$archive") into $release_dir; the bot is healthy"
