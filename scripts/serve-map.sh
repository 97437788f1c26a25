#!/usr/bin/env bash
# Serves the browser map (wasm/www/dist/) on a local static server:
#
#   scripts/serve-map.sh            # http://localhost:8765/
#   PORT=9000 scripts/serve-map.sh  # another port (or: scripts/serve-map.sh 9000)
#
# The map works offline: every file it loads is under wasm/www/dist/. Builds
# it first when it is missing (scripts/build-wasm.sh, scripts/build-web.sh).
# BIND=0.0.0.0 serves it to other machines too (default: this one only).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${1:-${PORT:-8765}}
BIND=${BIND:-127.0.0.1}
DIST=wasm/www/dist

if [ ! -f "$DIST/index.html" ]; then
  echo "serve-map: $DIST is missing; building it"
  [ -f wasm/pkg/web/bbcov_wasm_bg.wasm ] && [ -f wasm/pkg/web-siting/bbcov_wasm_bg.wasm ] || scripts/build-wasm.sh
  scripts/build-web.sh
fi
echo "serve-map: open http://localhost:$PORT/ in a browser (Ctrl-C stops the server)"
exec python3 -m http.server "$PORT" --bind "$BIND" --directory "$DIST"
