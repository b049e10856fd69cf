#!/usr/bin/env bash
# Installs what building, running and testing UptimeBot need on Debian 12 (run as root).
# Idempotent: packages already present are skipped quickly. Swift itself must be on PATH (/opt/swift).
set -euo pipefail

need_apt=()
for pkg in libmongoc-dev libbson-dev libcurl4-openssl-dev libc-ares-dev pkg-config ca-certificates "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if ((${#need_apt[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "install-deps: missing Debian packages: ${need_apt[*]} (run as root, or apt-get install them)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    if [[ -x /opt/swift/usr/bin/swift ]]; then
        echo "install-deps: add Swift to PATH: export PATH=/opt/swift/usr/bin:\$PATH" >&2
    else
        echo "install-deps: Swift 6.x is not installed (expected on PATH or in /opt/swift)" >&2
    fi
    exit 1
fi
