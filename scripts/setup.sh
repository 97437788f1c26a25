#!/usr/bin/env bash
# Installs everything bbcov needs on a fresh Debian 12 machine that has Rust,
# Python 3.11 and Node 20. Idempotent: a second run installs nothing.
set -euo pipefail

# Debian packages: GDAL (with PROJ) for bbcov-io, pkg-config to find it,
# GNU time for peak-memory figures in the benches, headless Chromium (prints
# the PDF report; runs the browser map's tests), the Noto CJK fonts the PDF
# report embeds and poppler-utils (pdftotext, pdffonts, pdftoppm) to check it.
packages=(libgdal-dev gdal-bin pkg-config time chromium fonts-noto-cjk poppler-utils)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
