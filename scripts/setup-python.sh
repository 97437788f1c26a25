#!/usr/bin/env bash
# Builds the bbcov Python package into a virtual environment at .venv (git-ignored)
# for the tests: creates the venv if missing, installs the pinned tools and
# libraries of python/requirements-dev.txt (again only when that file changes),
# then builds the extension in release mode and installs it (`maturin develop`;
# cargo rebuilds only what changed). Idempotent.
#
#   PYTHON  the interpreter the venv is made from (default python3, 3.11 or newer)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=$ROOT/.venv
REQUIREMENTS=$ROOT/python/requirements-dev.txt
log() { echo "[setup-python] $*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
  log "creating $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
fi

STAMP=$VENV/.requirements.sha256
HASH=$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$HASH" ]; then
  log "installing $REQUIREMENTS"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$HASH" > "$STAMP"
fi

log "building the extension (release) into $VENV"
cd "$ROOT/python"
VIRTUAL_ENV=$VENV PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" develop --release --quiet
