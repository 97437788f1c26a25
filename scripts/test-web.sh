#!/usr/bin/env bash
# Browser tests of the planners' map: builds the wasm package and the map,
# then runs wasm/e2e/*.test.mjs with `node --test` in Debian's headless
# Chromium (driven by playwright-core; never `npx playwright install`).
#
# Idempotent: installs chromium only when /usr/bin/chromium is missing, makes
# the sample region only when it is missing, and both builds take seconds
# when up to date. Screenshots land in wasm/e2e/artifacts/ (git-ignored).
# The comparison with the native CLI uses target/{release,debug}/bbcov and is
# skipped without one (BBCOV_BIN names another binary).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "test-web: installing Debian's chromium"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

if [ ! -f data-samples/region/dem.tif ]; then
  scripts/setup.sh
  cargo run --release -q -p bbcov-samples -- --out data-samples/region
fi

scripts/build-wasm.sh
scripts/build-web.sh
node --test wasm/e2e/
