#!/usr/bin/env bash
# Upgrades to this UptimeBot release (shipped inside uptime-bot-<version>.tar.gz):
#   tar xzf uptime-bot-1.2.0.tar.gz && cd uptime-bot-1.2.0
#   ./upgrade.sh                         # previous release = where the running bot was started from
#   ./upgrade.sh ../uptime-bot-1.1.0     # or name it
# Verifies the release before touching anything, carries prod.env, docker-compose.local.yml and
# data/ over from the previous release directory, starts this one, waits for healthy, and rolls
# back to the previous release if it does not get there. Options after the directory go to
# install.sh (--timeout SEC, --no-rollback); see ./install.sh --help.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
previous=""
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then previous=$1; shift; fi

if [ -z "$previous" ]; then
    previous=$(docker inspect -f '{{ index .Config.Labels "com.docker.compose.project.working_dir" }}' uptime-bot 2>/dev/null || true)
    if [ -z "$previous" ] || [ "$previous" = "<no value>" ]; then
        echo "upgrade.sh: no running uptime-bot container to upgrade from; name the previous release directory" >&2
        echo "            (./upgrade.sh ../uptime-bot-<old-version>), or use ./install.sh for a first install" >&2
        exit 2
    fi
fi
exec "$here/install.sh" --from "$previous" "$@"
