#!/usr/bin/env bash
# Builds the planners' browser map into wasm/www/dist/: a static, offline
# site (MapLibre GL JS, geotiff.js, proj4 and bbcov's wasm, bundled by
# esbuild) with the sample region and its manifest (wasm/www/build.mjs).
#
# Needs wasm/pkg/web and wasm/pkg/web-siting (scripts/build-wasm.sh) and data-samples/region/
# (`cargo run --release -p bbcov-samples`). Idempotent: `npm ci` runs only
# when wasm/www/package-lock.json changed since the last install; the bundle
# is rebuilt every time (about 2 s). Arguments go to build.mjs
# (--region DIR: another region folder; --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

WWW=wasm/www
for pkg in web web-siting; do
  if [ ! -f "wasm/pkg/$pkg/bbcov_wasm_bg.wasm" ]; then
    echo "build-web: wasm/pkg/$pkg is missing: run scripts/build-wasm.sh first" >&2
    exit 1
  fi
done
command -v node >/dev/null || { echo "build-web: node is missing (Node 20 or later)" >&2; exit 1; }

# npm dependencies, pinned by the committed lock file.
stamp="$WWW/node_modules/.bbcov-lock.sha256"
want=$(cat "$WWW/package.json" "$WWW/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  echo "build-web: npm ci in $WWW"
  (cd "$WWW" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

node "$WWW/build.mjs" "$@"
