#!/usr/bin/env bash
# Installs this UptimeBot release (shipped inside uptime-bot-<version>.tar.gz). Run it from the
# extracted directory, next to the previous release's directory:
#   tar xzf uptime-bot-1.2.0.tar.gz && cd uptime-bot-1.2.0
#   ./install.sh                              # first install (creates prod.env, then asks to fill it)
#   ./install.sh --from ../uptime-bot-1.1.0    # upgrade (upgrade.sh does this, finding the previous one)
#
# Order, so a bad release never touches the running one:
#   1. verify SHA256SUMS (a corrupt or incomplete release is refused here), docker and compose present,
#      prod.env complete, enough disk for the data copy;
#   2. docker load the images (running containers are not affected);
#   3. stop the previous release, copy its data/ (and prod.env, docker-compose.local.yml) here;
#   4. start MongoDB, run `uptime-bot doctor` in the bot's container (settings, MongoDB login, Telegram
#      through the proxy, DNS, ICMP: a forgotten proxy is reported in seconds), start the bot, wait
#      until its health check says healthy (MongoDB reachable, Bot API polled);
#   5. not healthy in time: stop this release and start the previous one again, untouched data.
#
# Options:
#   --from DIR       previous release directory (default: where the running `uptime-bot` container
#                    was started from, if any)
#   --env-file FILE  use FILE as prod.env (first install)
#   --timeout SEC    how long to wait for healthy (default 180)
#   --no-rollback    leave a failed release stopped instead of restarting the previous one
#   --no-doctor      start without running `uptime-bot doctor` first
#   --replace-legacy stop and remove containers named uptime-bot/mongodb that no release of this
#                    bot created (the old Python bot's); without it install.sh refuses
# On success the link `current` next to the release directories points at this release.
# prod.env is made mode 0600; empty MongoDB passwords in it are generated (MONGO_INITDB_ROOT_PASSWORD,
# the bot's password in MONGODB_URI). Run as root (data/mongodb must belong to uid 999).
# Exit: 0 installed and healthy; 1 failed (rolled back when possible); 2 usage; 3 refused, nothing changed.
set -euo pipefail

PROJECT=uptime-bot
BOT_CONTAINER=uptime-bot
DB_CONTAINER=mongodb
MONGO_UID=999 # the mongodb user of the mongo image (the official image uses the same id)

release_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
previous=""
env_file=""
timeout=180
rollback=1
replace_legacy=0
doctor=1
while [ $# -gt 0 ]; do
    case $1 in
        --from) previous=${2:?--from needs a directory}; shift 2 ;;
        --env-file) env_file=${2:?--env-file needs a file}; shift 2 ;;
        --timeout) timeout=${2:?--timeout needs seconds}; shift 2 ;;
        --no-rollback) rollback=0; shift ;;
        --replace-legacy) replace_legacy=1; shift ;;
        --no-doctor) doctor=0; shift ;;
        -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

say() { printf '[install %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
refuse() { printf '[install] REFUSED: %s\n[install] Nothing was changed; the running release (if any) is untouched.\n' "$*" >&2; exit 3; }

cd "$release_dir"
version=$(cat VERSION 2>/dev/null || echo unknown)
say "UptimeBot $version in $release_dir"

# --- 1. checks that change nothing ------------------------------------------------------------
[ -f SHA256SUMS ] || refuse "SHA256SUMS is missing: incomplete release"
command -v sha256sum >/dev/null || refuse "sha256sum not found"
if ! sha256sum --quiet --strict -c SHA256SUMS 2>/tmp/uptime-bot-sha.$$; then
    sed 's/^/  /' /tmp/uptime-bot-sha.$$ >&2; rm -f /tmp/uptime-bot-sha.$$
    refuse "checksum verification failed: the release is corrupt or incomplete (extract the tarball again)"
fi
rm -f /tmp/uptime-bot-sha.$$
# Every file install needs is listed in SHA256SUMS (so it was just verified).
for needed in VERSION docker-compose.prod.yml env/prod.env images/; do
    grep -E -q " [*]?(\./)?$needed" SHA256SUMS || refuse "SHA256SUMS does not list $needed: incomplete release"
done
say "checksums verified ($(wc -l <SHA256SUMS) files)"

command -v docker >/dev/null || refuse "docker not found"
docker info >/dev/null 2>&1 || refuse "the Docker engine is not reachable (is dockerd running? are you root or in the docker group?)"
if docker compose version >/dev/null 2>&1; then
    compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null; then
    compose_cmd=(docker-compose)
else
    refuse "neither 'docker compose' nor 'docker-compose' found"
fi

if [ -z "$previous" ]; then
    # The release the running bot was started from (compose records its directory).
    previous=$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.project.working_dir" }}' "$BOT_CONTAINER" 2>/dev/null || true)
    [ "$previous" = "<no value>" ] && previous=""
fi
if [ -n "$previous" ]; then
    [ -d "$previous" ] || refuse "previous release directory $previous does not exist"
    previous=$(cd "$previous" && pwd -P) # `current` is a link: compose knows the real directory
    [ "$previous" = "$release_dir" ] && previous="" # re-running the same release: nothing to carry over
fi
[ -n "$previous" ] && say "previous release: $previous" || say "no previous release: first install"

# Configuration: kept if already here, else --env-file, else the previous release's, else the template.
if [ ! -f prod.env ]; then
    if [ -n "$env_file" ]; then
        [ -f "$env_file" ] || refuse "env file $env_file not found"
        install -m 0600 "$env_file" prod.env # never world-readable, not even for a moment
    elif [ -n "$previous" ] && [ -f "$previous/prod.env" ]; then
        install -m 0600 "$previous/prod.env" prod.env
        say "prod.env carried over from $previous"
    else
        install -m 0600 env/prod.env prod.env
        refuse "created $release_dir/prod.env from the template: set BOT_TOKEN and DNS_SERVER (and the proxy, if any) in it and run install.sh again"
    fi
fi
chmod 600 prod.env || refuse "cannot make $release_dir/prod.env mode 0600 (it holds the bot token and passwords)"
# MongoDB runs with authentication: passwords left empty are generated once, here (hex: no URI escaping).
new_secret() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
set_env() { # set_env NAME VALUE — replace or append a line of prod.env (mode kept)
    if grep -q "^$1=" prod.env; then sed -i "s|^$1=.*|$1=$2|" prod.env; else printf '%s=%s\n' "$1" "$2" >>prod.env; fi
}
if ! grep -E -q '^MONGO_INITDB_ROOT_PASSWORD=[^[:space:]]+' prod.env; then
    grep -q '^MONGO_INITDB_ROOT_USERNAME=' prod.env || set_env MONGO_INITDB_ROOT_USERNAME root
    set_env MONGO_INITDB_ROOT_PASSWORD "$(new_secret)"
    say "generated MONGO_INITDB_ROOT_PASSWORD in prod.env (MongoDB's root user)"
fi
if grep -E -q '^MONGODB_URI=mongodb://(mongodb|uptimebot:@mongodb)(:27017)?/?(\?.*)?$' prod.env; then
    set_env MONGODB_URI "mongodb://uptimebot:$(new_secret)@mongodb:27017/?authSource=admin"
    say "generated the bot's MongoDB user uptimebot and its password in MONGODB_URI (prod.env)"
fi
if [ -n "$previous" ] && [ -f "$previous/docker-compose.local.yml" ] && [ ! -f docker-compose.local.yml ]; then
    cp "$previous/docker-compose.local.yml" docker-compose.local.yml
    say "docker-compose.local.yml carried over from $previous"
fi
grep -E -q '^BOT_TOKEN=[^[:space:]]+' prod.env || refuse "BOT_TOKEN is empty in $release_dir/prod.env"

compose_files=(-f docker-compose.prod.yml)
[ -f docker-compose.local.yml ] && compose_files+=(-f docker-compose.local.yml)
compose() { (cd "$release_dir" && "${compose_cmd[@]}" -p "$PROJECT" --env-file prod.env "${compose_files[@]}" "$@"); }
compose config -q || refuse "docker-compose.prod.yml does not render with prod.env (see the error above)"

carry_data=0
if [ -n "$previous" ] && [ -d "$previous/data" ] && [ ! -e data ]; then
    carry_data=1
    need_kb=$(du -sk "$previous/data" | cut -f1)
    free_kb=$(df -Pk "$release_dir" | awk 'NR==2 {print $4}')
    [ "$free_kb" -gt $((need_kb + need_kb / 10 + 102400)) ] \
        || refuse "not enough disk space to copy $previous/data ($((need_kb / 1024)) MB) next to it ($((free_kb / 1024)) MB free)"
fi

# Containers holding our names that no release of this bot created (the Python bot's `mongodb`):
# removing them silently would lose someone's database.
legacy=()
for name in "$BOT_CONTAINER" "$DB_CONTAINER"; do
    project=$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.project" }}' "$name" 2>/dev/null) || continue
    [ "$project" = "$PROJECT" ] || legacy+=("$name")
done
if [ ${#legacy[@]} -gt 0 ]; then
    for name in "${legacy[@]}"; do
        say "container $name was not created by an UptimeBot release (image $(docker inspect -f '{{.Config.Image}}' "$name"), mounts: $(docker inspect -f '{{range .Mounts}}{{.Source}} {{end}}' "$name"))"
    done
    [ "$replace_legacy" = 1 ] || refuse "containers ${legacy[*]} belong to something else (the old Python bot?): back up its data, then run again with --replace-legacy to stop and remove them"
fi

# data/mongodb must belong to mongod's user; a non-root operator cannot do that.
probe=$(mktemp "$release_dir/.chown-probe.XXXXXX")
if ! chown "$MONGO_UID:$MONGO_UID" "$probe" 2>/dev/null; then
    rm -f "$probe"
    refuse "cannot chown to uid $MONGO_UID (mongod's user): run install.sh as root (sudo ./install.sh …)"
fi
rm -f "$probe"

# Only one install at a time on this machine.
exec 9>/tmp/uptime-bot-install.lock
if command -v flock >/dev/null; then flock -n 9 || refuse "another install.sh is running"; fi

# --- 2. images ---------------------------------------------------------------------------------
for image in images/*.tar; do
    say "docker load $image"
    docker load -i "$image" | sed 's/^/  /'
done

# --- 3. stop the previous release, carry data over --------------------------------------------
stop_release() { # stop_release DIR — gracefully, whichever way it was started
    local dir=$1
    if [ -n "$dir" ] && [ -f "$dir/docker-compose.prod.yml" ]; then
        local files=(-f docker-compose.prod.yml) envf=()
        [ -f "$dir/docker-compose.local.yml" ] && files+=(-f docker-compose.local.yml)
        [ -f "$dir/prod.env" ] && envf=(--env-file prod.env)
        (cd "$dir" && "${compose_cmd[@]}" -p "$PROJECT" "${envf[@]}" "${files[@]}" down --timeout 30) || true
    fi
    # Whatever still holds the names (a release started by hand, an older layout, --replace-legacy).
    docker stop -t 30 "$BOT_CONTAINER" "$DB_CONTAINER" >/dev/null 2>&1 || true
    docker rm "$BOT_CONTAINER" "$DB_CONTAINER" >/dev/null 2>&1 || true
}

start_release() { # start_release DIR
    local dir=$1 files=(-f docker-compose.prod.yml)
    [ -f "$dir/docker-compose.local.yml" ] && files+=(-f docker-compose.local.yml)
    (cd "$dir" && "${compose_cmd[@]}" -p "$PROJECT" --env-file prod.env "${files[@]}" up -d --no-build)
}

wait_healthy() { # wait_healthy SECONDS → 0 when the bot container reports healthy
    local deadline=$((SECONDS + $1)) status restarts
    while [ $SECONDS -lt $deadline ]; do
        status=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$BOT_CONTAINER" 2>/dev/null || echo missing)
        restarts=$(docker inspect -f '{{.RestartCount}}' "$BOT_CONTAINER" 2>/dev/null || echo 0)
        case $status in
            healthy) return 0 ;;
            missing|exited|dead) say "bot container is $status"; return 1 ;;
        esac
        if [ "$restarts" -ge 3 ]; then say "bot container restarted $restarts times: crash loop"; return 1; fi
        sleep 2
    done
    say "not healthy after $1 s (last status: $status)"
    return 1
}

wait_container_healthy() { # wait_container_healthy NAME SECONDS
    local deadline=$((SECONDS + $2)) status
    while [ $SECONDS -lt $deadline ]; do
        status=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$1" 2>/dev/null || echo missing)
        case $status in
            healthy) return 0 ;;
            missing|exited|dead) say "$1 container is $status"; docker logs --tail 20 "$1" 2>&1 | sed 's/^/  /'; return 1 ;;
        esac
        sleep 2
    done
    say "$1 not healthy after $2 s"
    docker logs --tail 20 "$1" 2>&1 | sed 's/^/  /'
    return 1
}

run_doctor() { # uptime-bot doctor in a one-off container of this release (same env, network, capabilities)
    [ "$doctor" = 1 ] || return 0
    say "uptime-bot doctor"
    if compose run --rm --no-deps -T uptime-bot doctor 2>&1 | sed 's/^/  /'; [ "${PIPESTATUS[0]}" = 0 ]; then
        return 0
    fi
    say "doctor found a problem (the FAIL line above says what to fix): $version is not started"
    return 1
}

show_logs() {
    say "last log lines of $BOT_CONTAINER:"
    docker logs --tail 40 "$BOT_CONTAINER" 2>&1 | sed 's/^/  /' || true
    docker inspect -f '{{if .State.Health}}{{range .State.Health.Log}}  health: {{.ExitCode}} {{.Output}}{{end}}{{end}}' "$BOT_CONTAINER" 2>/dev/null | tail -3 || true
}

if [ -n "$previous" ]; then
    say "stopping the previous release"
    stop_release "$previous"
else
    stop_release "" # a stack of this same release, re-run
fi
restart_previous() { # after a failure before this release started: the previous one runs again, as it was
    if [ -n "$previous" ] && [ -f "$previous/docker-compose.prod.yml" ]; then
        say "starting the previous release $previous again"
        if start_release "$previous" && wait_healthy "$timeout"; then
            say "ROLLED BACK: $previous is running again; $version was not started"
        else
            show_logs
            say "ROLLBACK FAILED: $previous is not healthy; see the logs above"
        fi
    fi
    exit 1
}
if [ "$carry_data" = 1 ]; then
    say "copying data/ from $previous ($(du -sh "$previous/data" | cut -f1))"
    # Not `cp … && mv …` under set -e: a failed copy there went on and started on an empty database.
    rm -rf data.partial 2>/dev/null || true
    if ! { mkdir -p data.partial && cp -a "$previous/data/." data.partial/ && mv data.partial data; }; then
        say "FAILED to copy $previous/data (disk full? see the error above); $version is not started"
        rm -rf data.partial 2>/dev/null || true
        restart_previous
    fi
fi
mkdir -p data/mongodb
if ! chown "$MONGO_UID:$MONGO_UID" data/mongodb; then
    say "FAILED: cannot chown $release_dir/data/mongodb to uid $MONGO_UID (mongod could not write it)"
    restart_previous
fi

# --- 4. start and wait -------------------------------------------------------------------------
say "starting $version"
start_time=$SECONDS
# Everything but the bot first (mongodb, and any service a site's docker-compose.local.yml adds, such as
# a local proxy), so doctor meets the same network the bot will.
mapfile -t others < <(compose config --services | grep -v -x uptime-bot)
if compose up -d --no-build "${others[@]}" && wait_container_healthy "$DB_CONTAINER" "$timeout" && run_doctor \
    && compose up -d --no-build && wait_healthy "$timeout"; then
    elapsed=$((SECONDS - start_time))
    date -u +%FT%TZ >.installed
    echo "previous=$previous" >>.installed
    ln -sfn "$release_dir" "$(dirname "$release_dir")/current.partial" \
        && mv -T "$(dirname "$release_dir")/current.partial" "$(dirname "$release_dir")/current" \
        && say "$(dirname "$release_dir")/current -> $release_dir" \
        || say "WARNING: could not point $(dirname "$release_dir")/current at this release"
    say "UptimeBot $version is healthy after ${elapsed} s (start → healthy)"
    port=$(docker port "$BOT_CONTAINER" 2>/dev/null | head -1 | sed 's/.*-> //')
    [ -n "$port" ] && say "health: curl http://$port/health/ready   metrics: http://$port/metrics"
    exit 0
fi

# --- 5. roll back ------------------------------------------------------------------------------
show_logs
say "stopping the failed release $version"
compose down --timeout 30 || true
if [ -n "$previous" ] && [ "$rollback" = 1 ] && [ -f "$previous/docker-compose.prod.yml" ]; then
    say "rolling back to $previous (its own data/ was not modified)"
    if start_release "$previous" && wait_healthy "$timeout"; then
        say "ROLLED BACK: $previous is running again; $version failed (its logs are above, its data in $release_dir/data)"
    else
        show_logs
        say "ROLLBACK FAILED: neither release is healthy; see the logs above"
    fi
elif [ -n "$previous" ]; then
    say "no rollback (--no-rollback, or $previous has no docker-compose.prod.yml): start it by hand"
fi
exit 1
