#!/usr/bin/env bash
# The full Docker test: the operators' path, end to end, on a real Docker engine.
#   1. a Docker engine (installs docker.io/docker-compose/debootstrap and starts dockerd if needed)
#   2. base images (scripts/docker-base-images.sh), the bot image, two release tarballs (A, B)
#   3. install A into an empty directory, with a fake Bot API beside it (docker-compose.local.yml)
#   4. /health/live, /health/ready, /metrics; the bot answers /start through the fake Bot API
#   5. a corrupt and a truncated release are refused; the running release is untouched
#   6. upgrade A → B: data kept (a marker document and the bot's own documents), B answers /start
#   7. a release that cannot become ready (wrong MONGODB_URI) is rolled back to B
#   8. a user signs in (contact) and opens a dialog; backup → wipe → restore gives the same documents;
#      a damaged archive is refused
#   9. migration: restore.sh into a second install directory; the user is still signed in (/monitoring
#      shows their list) and still in their dialog (/cancel ends it)
#  10. a data copy that fails (full disk) stops the upgrade and restarts the previous release
#  11. teardown: containers, network, test images, temp files (and dockerd, if started here)
# Along the way: a foreign `mongodb` container is refused; MongoDB runs with authentication (a client
# without credentials is refused, no port published, no password in any log); prod.env is 0600;
# both containers run with cap_drop ALL (+NET_RAW), no-new-privileges and a read-only root.
# Usage: scripts/docker-test.sh [--rev REV | --worktree] [--images IMAGE_A IMAGE_B] [--keep] [--skip-rollback]
#   --rev/--worktree  what to build (see release.sh; default HEAD)
#   --images A B      skip the bot build and release these two images (iterating on the scripts)
#   --keep            leave the last release running and the temp directory in place
# Output: a summary with image sizes and the time from install.sh to healthy. Needs root.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
source_args=()
keep=0
rollback_test=1
prebuilt=()
while [ $# -gt 0 ]; do
    case $1 in
        --rev) source_args=(--rev "${2:?}"); shift 2 ;;
        --worktree) source_args=(--worktree); shift ;;
        --images) prebuilt=("${2:?}" "${3:?}"); shift 3 ;;
        --keep) keep=1; shift ;;
        --skip-rollback) rollback_test=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "docker-test: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "docker-test: run as root (dockerd, chown of data/)" >&2; exit 2; }
# Both releases from one commit, even if the branch moves while the first one builds.
if [ ${#source_args[@]} -eq 0 ] || [ "${source_args[0]}" = --rev ]; then
    source_args=(--rev "$(git -C "$root" rev-parse "${source_args[1]:-HEAD}")")
fi

test_start=$SECONDS
step() { printf '\n=== [%4ds] %s\n' "$((SECONDS - test_start))" "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf '\nDOCKER TEST FAILED: %s\n' "$*" >&2; exit 1; }
declare -A summary=()
summary_order=()
note() { summary[$1]=$2; summary_order+=("$1"); info "$1: $2"; }

work=$(mktemp -d /var/tmp/uptimebot-docker-test.XXXXXX)
opt=$work/opt # the "empty directory" releases are installed into
mkdir -p "$opt" "$work/dist"
started_dockerd=""
compose_cmd=()

# --- teardown, also on failure -----------------------------------------------------------------
teardown() {
    local rc=$?
    set +e
    if [ "$keep" = 1 ] && [ "$rc" = 0 ]; then
        step "kept: releases in $opt, running stack left up"
        return
    fi
    step "teardown"
    if [ ${#compose_cmd[@]} -gt 0 ]; then
        for dir in "$opt"/uptime-bot-*/ "$work"/opt2/uptime-bot-*/ "$work"/copyfail/uptime-bot-*/; do
            [ -f "$dir/docker-compose.prod.yml" ] && [ -f "$dir/prod.env" ] || continue
            (cd "$dir" && "${compose_cmd[@]}" -p uptime-bot --env-file prod.env -f docker-compose.prod.yml \
                $( [ -f docker-compose.local.yml ] && echo -f docker-compose.local.yml ) down -v --timeout 20 >/dev/null 2>&1)
        done
    fi
    docker rm -f -v uptime-bot mongodb uptimebot-test-fake-telegram >/dev/null 2>&1
    for mount in $(findmnt -rn -o TARGET | grep "^$work/" || true); do umount "$mount"; done
    docker network rm uptime-bot_default >/dev/null 2>&1
    for tag in test-a test-b test-c; do docker image rm "uptimebot/uptime-bot:$tag" >/dev/null 2>&1; done
    docker image prune -f >/dev/null 2>&1
    rm -rf "$work"
    if [ -n "$started_dockerd" ]; then
        kill "$started_dockerd" 2>/dev/null
        for _ in $(seq 30); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 1; done
        info "stopped the dockerd started by this test (pid $started_dockerd)"
    fi
    info "removed containers, network, test images and $work"
    [ "$rc" = 0 ] || printf '\nDOCKER TEST FAILED (exit %s) after %d s\n' "$rc" "$((SECONDS - test_start))" >&2
}
trap teardown EXIT

# --- 1. engine ---------------------------------------------------------------------------------
step "Docker engine"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
    info "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
    for driver in overlay2 vfs; do
        info "starting dockerd --storage-driver=$driver --iptables=false --bridge=none"
        dockerd --storage-driver="$driver" --iptables=false --bridge=none >"$work/dockerd.log" 2>&1 &
        started_dockerd=$!
        for _ in $(seq 30); do docker info >/dev/null 2>&1 && break 2; sleep 1; done
        kill "$started_dockerd" 2>/dev/null; wait "$started_dockerd" 2>/dev/null; started_dockerd=""
    done
    docker info >/dev/null 2>&1 || die "dockerd did not start (log: $work/dockerd.log)"
fi
if docker compose version >/dev/null 2>&1; then compose_cmd=(docker compose); else compose_cmd=(docker-compose); fi
info "engine $(docker version -f '{{.Server.Version}}'), storage $(docker info -f '{{.Driver}}'), compose: ${compose_cmd[*]} $("${compose_cmd[@]}" version --short 2>/dev/null || true)"
# Only one stack of this name per machine: refuse instead of stopping someone's running bot.
if docker ps -a --format '{{.Names}}' | grep -E -q '^(uptime-bot|mongodb)$'; then
    die "containers named uptime-bot/mongodb exist already; stop them first (this test installs its own)"
fi

# --- 2. images and releases --------------------------------------------------------------------
step "base images"
nice "$root/scripts/docker-base-images.sh" 2>&1 | sed 's/^/    /'

build_args=()
if [ ${#prebuilt[@]} -gt 0 ]; then
    docker tag "${prebuilt[0]}" uptimebot/uptime-bot:test-a
    docker tag "${prebuilt[1]}" uptimebot/uptime-bot:test-b
    build_args=(--no-build)
    info "releasing the prebuilt images ${prebuilt[*]}"
fi
step "release A (builds the bot image)"
t=$SECONDS
nice "$root/scripts/release.sh" "${source_args[@]}" "${build_args[@]}" --version test-a --output "$work/dist" >"$work/release-a.log" 2>&1 \
    || { tail -40 "$work/release-a.log"; die "release.sh A failed"; }
grep -E '^\[release\]' "$work/release-a.log" | sed 's/^/    /'
note "release A build" "$((SECONDS - t)) s"
step "release B (a second build of the same tree: another version, the build stage from cache)"
t=$SECONDS
nice "$root/scripts/release.sh" "${source_args[@]}" "${build_args[@]}" --version test-b --output "$work/dist" >"$work/release-b.log" 2>&1 \
    || { tail -40 "$work/release-b.log"; die "release.sh B failed"; }
note "release B build" "$((SECONDS - t)) s"
note "bot image size" "$(docker image inspect -f '{{.Size}}' uptimebot/uptime-bot:test-a | awk '{printf "%.1f MB", $1/1e6}')"
note "mongo image size" "$(docker image inspect -f '{{.Size}}' uptimebot/mongo:6.0.5 | awk '{printf "%.1f MB", $1/1e6}')"
note "release tarball" "$(du -h "$work/dist/uptime-bot-test-a.tar.gz" | cut -f1)"
(cd "$work/dist" && sha256sum -c --quiet uptime-bot-test-a.tar.gz.sha256 uptime-bot-test-b.tar.gz.sha256) || die "tarball checksums"

# --- 3. install A with a fake Bot API ---------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
health_port=$(free_port)
fake_port=$(free_port)
token="1000001:docker-test-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
health=http://127.0.0.1:$health_port
fake=http://127.0.0.1:$fake_port
cp "$root/scripts/fake_bot_api.py" "$work/fake_bot_api.py"
chmod 0644 "$work/fake_bot_api.py"
mkdir -p "$work/fake-state"
chmod 0777 "$work/fake-state" # whichever user the image runs the fake as

cat >"$work/prod.env" <<EOF
BOT_TOKEN=$token
TELEGRAM_API_URL=http://fake-telegram:8081
MONGODB_URI=mongodb://uptimebot:@mongodb:27017/?authSource=admin
MONGODB_DATABASE=uptimebot
MONGO_INITDB_ROOT_USERNAME=root
MONGO_INITDB_ROOT_PASSWORD=
DNS_SERVER=127.0.0.1
LOG_LEVEL=info
HEALTH_PORT=8080
CHECK_INTERVAL=10
MIN_CHECK_INTERVAL=10
no_proxy=mongodb,fake-telegram,localhost,127.0.0.1
NO_PROXY=mongodb,fake-telegram,localhost,127.0.0.1
HEALTH_PUBLISH=127.0.0.1:$health_port
MONGO_CACHE_GB=0.25
EOF
# A site override, as operators keep one: here the fake Bot API beside the bot, in its network.
# It runs on the mongo image because that one has python3.
local_override() { # local_override [START_USER] — whose /start the fake queues when it starts (0: none)
    cat <<EOF
services:
  fake-telegram:
    image: uptimebot/mongo:6.0.5
    container_name: uptimebot-test-fake-telegram
    entrypoint: ["python3", "/fake/fake_bot_api.py", "--host", "0.0.0.0", "--port", "8081", "--token", "$token",
                 "--state", "/fake-state/last_update_id", "--start-user", "${1:-424242}"]
    volumes:
      - $work/fake_bot_api.py:/fake/fake_bot_api.py:ro
      - $work/fake-state:/fake-state # update ids keep increasing when an upgrade recreates this container
    ports:
      - "127.0.0.1:$fake_port:8081"
    tmpfs:
      - /data/db # the image's VOLUME would leave an anonymous volume behind each time
    healthcheck:
      disable: true
EOF
}

unpack() { # unpack NAME → extracts the tarball into $opt
    tar -xzf "$work/dist/$1.tar.gz" -C "$opt"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND…
    local deadline=$((SECONDS + $1)) what=$2; shift 2
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 1
    done
}
answered_start() { # answered_start MIN_COUNT — the fake recorded a reply to the scripted user
    local n
    n=$(curl -s --noproxy '*' "$fake/__fake/sent" | python3 -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin) if str(m.get("chat_id"))=="424242"))')
    [ "${n:-0}" -ge "$1" ]
}
mongo_eval() { docker exec mongodb mongo-shell uptimebot --eval "$1"; }
fake_post() { curl -s --noproxy '*' -X POST "$fake/__fake/$1?$2" >/dev/null; } # fake_post message user=…&text=…
replied() { # replied TEXT — a message the fake recorded for the scripted user contains TEXT
    curl -s --noproxy '*' "$fake/__fake/sent" | TEXT="$1" python3 -c 'import json, os, sys
sys.exit(0 if any(os.environ["TEXT"] in m.get("text", "") for m in json.load(sys.stdin) if str(m.get("chat_id")) == "424242") else 1)'
}

step "install A into the empty directory $opt"
unpack uptime-bot-test-a
dir_a=$opt/uptime-bot-test-a
local_override >"$dir_a/docker-compose.local.yml"
# The old Python bot's database container holds the name: install.sh must not remove it silently.
docker run -d --name mongodb --network none uptimebot/debian:bookworm sleep 600 >/dev/null
set +e
"$dir_a/install.sh" --env-file "$work/prod.env" >"$work/install-legacy.log" 2>&1
rc=$?
set -e
sed 's/^/    /' "$work/install-legacy.log" | tail -3
[ "$rc" = 3 ] && grep -q -- --replace-legacy "$work/install-legacy.log" || die "a foreign mongodb container: install.sh exited $rc, expected 3 naming --replace-legacy"
docker inspect mongodb >/dev/null 2>&1 || die "install.sh removed the foreign mongodb container"
docker rm -f mongodb >/dev/null
note "foreign mongodb container" "refused (exit 3, --replace-legacy named), container left alone"
t=$SECONDS
if ! "$dir_a/install.sh" --env-file "$work/prod.env" 2>&1 | tee "$work/install-a.log" | sed 's/^/    /'; then
    die "install.sh A failed"
fi
note "install.sh A: start -> healthy" "$(sed -n 's/.*is healthy after \([0-9]*\) s.*/\1 s/p' "$work/install-a.log")"
note "install.sh A: whole run (verify, load, start, healthy)" "$((SECONDS - t)) s"

step "MongoDB authentication, hardening, prod.env"
[ "$(stat -c %a "$dir_a/prod.env")" = 600 ] || die "prod.env is mode $(stat -c %a "$dir_a/prod.env"), expected 600"
[ "$(readlink "$opt/current")" = "$dir_a" ] || die "install.sh did not point $opt/current at A"
root_password=$(sed -n 's/^MONGO_INITDB_ROOT_PASSWORD=//p' "$dir_a/prod.env")
bot_password=$(sed -n 's|^MONGODB_URI=mongodb://uptimebot:\([0-9a-f]*\)@.*|\1|p' "$dir_a/prod.env")
[ ${#root_password} -ge 32 ] && [ ${#bot_password} -ge 32 ] || die "install.sh did not generate the MongoDB passwords"
set +e
anonymous=$(docker exec mongodb mongo-shell uptimebot --uri mongodb://127.0.0.1:27017 --eval 'db.list_collection_names()' 2>&1)
rc=$?
set -e
[ "$rc" != 0 ] && grep -q -i 'requires authentication\|Unauthorized' <<<"$anonymous" \
    || die "a client without credentials was not refused: $anonymous"
info "without credentials: $(grep -o -i 'command listCollections requires authentication\|Unauthorized[^,]*' <<<"$anonymous" | head -1)"
[ -z "$(docker port mongodb)" ] || die "mongodb publishes a port: $(docker port mongodb)"
for c in uptime-bot mongodb; do
    hardening=$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.SecurityOpt}} {{.HostConfig.CapDrop}} {{.HostConfig.CapAdd}} {{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}' "$c")
    info "$c: read-only, security_opt, cap_drop, cap_add, memory, nano-cpus: $hardening"
    case $hardening in "true [no-new-privileges:true] [ALL] "*) ;; *) die "$c is not hardened: $hardening" ;; esac
done
if docker logs uptime-bot 2>&1 | grep -F -q -e "$root_password" -e "$bot_password" \
    || docker logs mongodb 2>&1 | grep -F -q -e "$root_password" -e "$bot_password" \
    || docker inspect mongodb uptime-bot -f '{{json .State.Health}}' | grep -F -q -e "$root_password" -e "$bot_password" \
    || grep -F -q -e "$root_password" -e "$bot_password" "$work/install-a.log"; then
    die "a MongoDB password appears in a log or health output"
fi
note "MongoDB" "authentication on (anonymous client refused, bot connected as its own user), no published port, no password in logs"
note "prod.env" "mode 600 after the first install; passwords generated; current -> A"
grep -q "^  ok    mongodb .*logged in as uptimebot" "$work/install-a.log" && grep -q '^  ok    telegram' "$work/install-a.log" \
    || die "install.sh did not run uptime-bot doctor, or doctor failed on a good release"
step "uptime-bot doctor in the container names a wrong proxy"
set +e
(cd "$dir_a" && "${compose_cmd[@]}" -p uptime-bot --env-file prod.env -f docker-compose.prod.yml -f docker-compose.local.yml \
    run --rm --no-deps -T -e TELEGRAM_PROXY=http://127.0.0.1:9 -e no_proxy=mongodb -e NO_PROXY=mongodb uptime-bot doctor) \
    >"$work/doctor-proxy.log" 2>&1 # no_proxy applies to TELEGRAM_PROXY too: here it must not cover fake-telegram
rc=$?
set -e
sed 's/^/    /' "$work/doctor-proxy.log" | grep -v -E '^    (Creating|Starting)' || true
[ "$rc" = 1 ] || die "doctor with a dead proxy exited $rc, expected 1"
grep -E -q '^FAIL  telegram .*http://127\.0\.0\.1:9 \(TELEGRAM_PROXY\)' "$work/doctor-proxy.log" || die "doctor did not name the wrong proxy"
! grep -F -q -e "$root_password" -e "$bot_password" "$work/doctor-proxy.log" || die "doctor printed a password"
note "doctor, dead proxy" "FAIL line names http://127.0.0.1:9 (TELEGRAM_PROXY), exit 1, no password printed"

step "health, metrics, /start"
code=$(curl -s --noproxy '*' -o "$work/ready.json" -w '%{http_code}' "$health/health/ready")
info "/health/ready → $code $(cat "$work/ready.json")"
[ "$code" = 200 ] || die "/health/ready answered $code"
[ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' "$health/health/live")" = 200 ] || die "/health/live"
curl -s --noproxy '*' "$health/metrics" >"$work/metrics.txt"
info "/metrics: $(grep -c '^uptimebot_' "$work/metrics.txt" || true) uptimebot_ samples, $(wc -l <"$work/metrics.txt") lines"
wait_for 60 "a reply to /start" answered_start 1 || {
    docker logs --tail 30 uptime-bot; docker logs --tail 10 uptimebot-test-fake-telegram; die "the bot did not answer /start"; }
reply=$(curl -s --noproxy '*' "$fake/__fake/sent" | python3 -c 'import json,sys; m=[m for m in json.load(sys.stdin) if str(m.get("chat_id"))=="424242"][0]; print(m["text"].splitlines()[0][:100])')
note "reply to /start (A)" "$reply"
info "Bot API calls so far: $(curl -s --noproxy '*' "$fake/__fake/calls")"
# By name: a process started from a file with capabilities is not dumpable, its /proc/PID/exe unreadable.
caps=$(docker exec uptime-bot busybox sh -c 'for p in /proc/[0-9]*; do if [ "$(busybox cat $p/comm 2>/dev/null)" = uptime-bot ]; then busybox grep CapEff $p/status; fi; done' | head -1 || true)
info "bot process: ${caps:-CapEff unknown} (0000000000002000 = CAP_NET_RAW only); user $(docker exec uptime-bot busybox id -un 2>/dev/null || echo "?")"
mongo_eval 'db.docker_test.replace_one({"_id": "marker"}, {"_id": "marker", "release": "test-a"}, upsert=True).acknowledged' >/dev/null
collections='" ".join(f"{c}={db[c].count_documents({})}" for c in sorted(db.list_collection_names()))'
before=$(mongo_eval "$collections")
info "collections in A: $before"
container_a=$(docker inspect -f '{{.Id}}' uptime-bot)

# --- 5. bad releases are refused --------------------------------------------------------------
# Runs release $1's upgrade.sh against release A; it must refuse (exit 3). Shows $3 lines of its log.
expect_upgrade_refused() {
    local rc
    set +e
    "$1/upgrade.sh" "$dir_a" >"$work/$2.log" 2>&1
    rc=$?
    set -e
    sed 's/^/    /' "$work/$2.log" | head -"$3"
    [ "$rc" = 3 ] || die "$2 release: upgrade.sh exited $rc, expected 3 (refused)"
}

step "a corrupt release is refused before anything changes"
mkdir -p "$work/corrupt"
tar -xzf "$work/dist/uptime-bot-test-b.tar.gz" -C "$work/corrupt"
bad=$work/corrupt/uptime-bot-test-b
printf 'garbage' | dd of="$bad/images/uptime-bot-test-b.tar" bs=1 seek=4096 conv=notrunc status=none
expect_upgrade_refused "$bad" corrupt 8
[ ! -e "$bad/data" ] || die "corrupt release created data/"
note "corrupt release" "refused (exit 3)"

step "a truncated release is refused"
size=$(stat -c %s "$work/dist/uptime-bot-test-b.tar.gz")
head -c $((size * 2 / 3)) "$work/dist/uptime-bot-test-b.tar.gz" >"$work/truncated.tar.gz"
mkdir -p "$work/truncated"
if tar -xzf "$work/truncated.tar.gz" -C "$work/truncated" 2>"$work/truncated-tar.log"; then
    die "tar accepted a truncated tarball"
fi
info "tar: $(tail -1 "$work/truncated-tar.log")"
trunc=$work/truncated/uptime-bot-test-b
[ -x "$trunc/install.sh" ] || die "the truncated tarball lost even install.sh (small files must come first)"
expect_upgrade_refused "$trunc" truncated 6
note "truncated release" "refused (exit 3)"
[ "$(docker inspect -f '{{.Id}}' uptime-bot)" = "$container_a" ] || die "the running release was touched"
[ "$(docker inspect -f '{{.State.Health.Status}}' uptime-bot)" = healthy ] || die "release A is no longer healthy"
info "release A still running, same container, healthy"

# --- 6. upgrade A → B --------------------------------------------------------------------------
step "upgrade A → B (upgrade.sh finds A from the running container)"
unpack uptime-bot-test-b
dir_b=$opt/uptime-bot-test-b
t=$SECONDS
if ! (cd "$dir_b" && ./upgrade.sh) 2>&1 | tee "$work/upgrade-b.log" | sed 's/^/    /'; then
    die "upgrade to B failed"
fi
note "upgrade.sh B: start -> healthy" "$(sed -n 's/.*is healthy after \([0-9]*\) s.*/\1 s/p' "$work/upgrade-b.log")"
note "upgrade.sh B: whole run (verify, load, stop A, copy data, start, healthy)" "$((SECONDS - t)) s"
running=$(docker inspect -f '{{.Config.Image}}' uptime-bot)
[ "$running" = uptimebot/uptime-bot:test-b ] || die "after the upgrade the bot runs $running"
marker=$(mongo_eval 'db.docker_test.find_one({"_id": "marker"})["release"]')
[ "$marker" = "'test-a'" ] || die "data not carried over: marker is $marker"
after=$(mongo_eval "$collections")
info "collections in B: $after"
[ -f "$dir_b/prod.env" ] && [ -f "$dir_b/docker-compose.local.yml" ] || die "prod.env / local override not carried over"
[ -d "$dir_a/data/mongodb" ] || die "A's data/ is gone (it must stay as the rollback copy)"
note "data kept across the upgrade" "marker from A found in B; A's data/ left as a copy"
wait_for 60 "a reply to /start from B" answered_start 1 || { docker logs --tail 30 uptime-bot; die "B did not answer /start"; }
note "reply to /start (B)" "$(curl -s --noproxy '*' "$fake/__fake/sent" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["text"].splitlines()[0][:100])')"

# --- 7. rollback -------------------------------------------------------------------------------
if [ "$rollback_test" = 1 ]; then
    step "a release that never gets ready is rolled back (C: MONGODB_URI points nowhere)"
    docker tag uptimebot/uptime-bot:test-b uptimebot/uptime-bot:test-c
    "$root/scripts/release.sh" "${source_args[@]}" --version test-c --no-build --output "$work/dist" >"$work/release-c.log" 2>&1 \
        || { tail -20 "$work/release-c.log"; die "release.sh C failed"; }
    unpack uptime-bot-test-c
    dir_c=$opt/uptime-bot-test-c
    sed 's|^MONGODB_URI=.*|MONGODB_URI=mongodb://nowhere.invalid:27017/?serverSelectionTimeoutMS=2000|' "$dir_b/prod.env" >"$dir_c/prod.env"
    t=$SECONDS
    set +e
    (cd "$dir_c" && ./upgrade.sh --timeout 60) 2>&1 | tee "$work/upgrade-c.log" | sed 's/^/    /'
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" = 1 ] || die "the unready release C: upgrade.sh exited $rc, expected 1 (rolled back)"
    grep -q 'ROLLED BACK' "$work/upgrade-c.log" || die "no rollback reported"
    [ "$(docker inspect -f '{{.Config.Image}}' uptime-bot)" = uptimebot/uptime-bot:test-b ] || die "B is not running after the rollback"
    [ "$(docker inspect -f '{{.State.Health.Status}}' uptime-bot)" = healthy ] || die "B is not healthy after the rollback"
    marker=$(mongo_eval 'db.docker_test.find_one({"_id": "marker"})["release"]')
    [ "$marker" = "'test-a'" ] || die "data lost in the rollback"
    note "rollback of an unready release" "C refused to get ready, B running and healthy again ($((SECONDS - t)) s)"
fi

# --- 8. backup, wipe, restore ------------------------------------------------------------------
running_dir=$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.project.working_dir" }}' uptime-bot)
# What the backup must carry: a user signed in (the first of an empty database becomes its admin)
# and standing inside a dialog (/add, waiting for the kind). From here on the fake queues no /start
# when restore.sh recreates it (a /start would end the dialog): the user's words are the test's.
local_override 0 >"$running_dir/docker-compose.local.yml"
step "a user signs in and opens a dialog"
fake_post contact "user=424242&phone=%2B79990000001"
signed_in() { [ "$(mongo_eval 'db.users.count_documents({"_id": 424242, "access": "active"})')" = 1 ]; }
wait_for 60 "the sign-in" signed_in \
    || { docker logs --tail 30 uptime-bot; die "the scripted user was not signed in by sharing their contact"; }
fake_post message "user=424242&text=/add"
wait_for 60 "the add dialog" replied 'Что добавить?' || { docker logs --tail 30 uptime-bot; die "/add did not open the dialog"; }
dialog=$(mongo_eval '(db.fsm_states.find_one({"_id": "fsm:424242:424242"}) or {}).get("state")')
[ -n "$dialog" ] && [ "$dialog" != None ] || die "no dialog state stored for the signed-in user"
note "signed in, inside a dialog" "user 424242 active (admin), fsm state $dialog"
# Documents that say who is signed in and where each dialog stands, plus the marker.
digest='__import__("hashlib").sha256("".join(__import__("bson").json_util.dumps(list(db[c].find({}, sort=[("_id", 1)]))) for c in ("users", "fsm_states", "docker_test")).encode()).hexdigest()[:16] + " users=%d fsm=%d" % (db.users.count_documents({}), db.fsm_states.count_documents({}))'
step "backup → wipe → restore ($running_dir)"
t=$SECONDS
"$running_dir/backup.sh" --output "$work/backups" 2>&1 | sed 's/^/    /'
archive=$(ls "$work"/backups/uptime-bot-*.gz | tail -1)
[ -f "$archive.sha256" ] || die "backup.sh wrote no checksum beside $archive"
[ "$(docker inspect -f '{{.State.Health.Status}}' uptime-bot)" = healthy ] || die "the bot is not healthy after the backup"
note "backup.sh" "$(basename "$archive") ($(du -h "$archive" | cut -f1)) in $((SECONDS - t)) s, bot kept running"
before_backup=$(mongo_eval "$digest")
info "documents: $before_backup"
cp "$archive" "$work/damaged.data.tar.gz"
sed "s/$(basename "$archive")/damaged.data.tar.gz/" "$archive.sha256" >"$work/damaged.data.tar.gz.sha256"
printf 'x' | dd of="$work/damaged.data.tar.gz" bs=1 seek=100 conv=notrunc status=none
set +e
"$running_dir/restore.sh" "$work/damaged.data.tar.gz" >"$work/restore-damaged.log" 2>&1
rc=$?
set -e
[ "$rc" = 3 ] || { cat "$work/restore-damaged.log"; die "a damaged archive: restore.sh exited $rc, expected 3"; }
note "damaged archive" "refused by restore.sh (exit 3), stack untouched"
mongo_eval 'db.client.drop_database("uptimebot")' >/dev/null
info "wiped: $(mongo_eval '" ".join(db.list_collection_names()) or "no collections"')"
t=$SECONDS
"$running_dir/restore.sh" "$archive" 2>&1 | sed 's/^/    /'
after_restore=$(mongo_eval "$digest")
[ "$after_restore" = "$before_backup" ] || die "restored documents differ: $after_restore, expected $before_backup"
note "restore.sh" "same documents after backup → wipe → restore ($after_restore), healthy in $((SECONDS - t)) s"

# --- 9. migration to a second install directory ------------------------------------------------
step "migration: the backup restored into a second install directory (a new host)"
mkdir -p "$work/opt2"
tar -xzf "$work/dist/uptime-bot-test-b.tar.gz" -C "$work/opt2"
dir_m=$work/opt2/uptime-bot-test-b
install -m 0600 "$running_dir/prod.env" "$dir_m/prod.env" # the operator brings prod.env from the old host
cp "$running_dir/docker-compose.local.yml" "$dir_m/"
t=$SECONDS
"$dir_m/restore.sh" --release-dir "$dir_m" "$archive" 2>&1 | sed 's/^/    /'
[ "$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.project.working_dir" }}' uptime-bot)" = "$dir_m" ] \
    || die "after the migration the bot does not run from $dir_m"
migrated=$(mongo_eval "$digest")
[ "$migrated" = "$before_backup" ] || die "migrated documents differ: $migrated, expected $before_backup"
# The user comes back: still signed in (their list, not the sign-in prompt) and still in the dialog
# they left (/cancel finds it).
fake_post message "user=424242&text=/cancel"
wait_for 60 "/cancel after the migration" replied 'Отменено.' || {
    docker logs --tail 30 uptime-bot; die "after the migration the user's dialog was gone (/cancel found nothing to cancel)"; }
fake_post message "user=424242&text=/monitoring"
wait_for 60 "/monitoring after the migration" replied 'Мониторинг</b> —' || {
    docker logs --tail 30 uptime-bot; die "after the migration the user was not signed in any more (/monitoring)"; }
! replied 'Сначала войдите' || die "after the migration the bot asked the signed-in user to sign in again"
note "migration (restore on a new install dir)" "users and dialogs as before ($migrated); the user's dialog answers /cancel and /monitoring shows their list, $((SECONDS - t)) s"

# --- 10. a failing data copy -------------------------------------------------------------------
step "an upgrade whose data copy fails (disk full) keeps the running release"
mkdir -p "$work/copyfail"
tar -xzf "$work/dist/uptime-bot-test-b.tar.gz" -C "$work/copyfail"
dir_f=$work/copyfail/uptime-bot-test-b
mkdir -p "$dir_f/data.partial"
mount -t tmpfs -o size=64k tmpfs "$dir_f/data.partial" # room for a few files, not for mongod's data
set +e
(cd "$dir_f" && ./upgrade.sh --timeout 90) >"$work/upgrade-copyfail.log" 2>&1
rc=$?
set -e
umount "$dir_f/data.partial"
{ grep -E 'FAILED|ROLLED|No space' "$work/upgrade-copyfail.log" || true; } | head -4 | sed 's/^/    /'
[ "$rc" = 1 ] || { tail -20 "$work/upgrade-copyfail.log"; die "a failing data copy: upgrade.sh exited $rc, expected 1"; }
grep -q 'FAILED to copy' "$work/upgrade-copyfail.log" || die "the failed copy was not reported"
[ ! -e "$dir_f/data/mongodb" ] || die "the release with the failed copy has a data/ directory"
[ "$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.project.working_dir" }}' uptime-bot)" = "$dir_m" ] \
    || die "the previous release is not the one running"
[ "$(docker inspect -f '{{.State.Health.Status}}' uptime-bot)" = healthy ] || die "the previous release is not healthy"
[ "$(mongo_eval "$digest")" = "$before_backup" ] || die "data changed after the failed copy"
note "failed data copy" "upgrade stopped (exit 1), previous release running again with its data"

# --- summary -----------------------------------------------------------------------------------
step "DOCKER TEST PASSED in $((SECONDS - test_start)) s"
for key in "${summary_order[@]}"; do printf '    %-58s %s\n' "$key" "${summary[$key]}"; done
