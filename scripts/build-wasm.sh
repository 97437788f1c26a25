#!/usr/bin/env bash
# Builds the WebAssembly packages of bbcov (wasm/, over bbcov-core without
# rayon) and reports their sizes against the budgets.
#
#   wasm/pkg/web/          ES module for the page (wasm-bindgen --target web), without siting
#   wasm/pkg/web-siting/   ES module with `planSites` (cargo feature `siting`), loaded
#                          only by the page's siting worker, when a planner plans sites
#   wasm/pkg/node/         CommonJS module for Node (--target nodejs), with siting, used by wasm/tests/
#
# Siting (candidates, coverage sets, backhaul, the covering solvers and
# their bounds) adds about 60 KiB gzipped, so the page's module leaves it
# out and the first load stays small; the siting module is the same crate
# built with `--features siting`.
#
# Recipe: ../shared/toolchain/WASM.md. rustup has no wasm32 target here, so
# Debian's rustc-web builds std for wasm32 with -Z build-std, in its own
# target dirs (target-wasm/ for the page's module, target-wasm/siting/ for
# the other: one feature set per target dir, so neither build invalidates the
# other) so that it never shares artifacts with rustup's rustc. Idempotent:
# installs only what is missing, and a second run with no change rebuilds
# nothing but the (fast) bindgen and wasm-opt steps.
#
# Environment: WASM_BUDGET_GZIP_KIB (default below) fails the build when the
# page's gzipped module grows past it, WASM_SITING_BUDGET_GZIP_KIB the same
# for the siting module; WASM_OPT_LEVEL (default -Oz).
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET_GZIP_KIB=${WASM_BUDGET_GZIP_KIB:-160}
SITING_BUDGET_GZIP_KIB=${WASM_SITING_BUDGET_GZIP_KIB:-224}
OPT_LEVEL=${WASM_OPT_LEVEL:--Oz}
CRATE=bbcov_wasm
TARGET_DIR=target-wasm
PKG=wasm/pkg

# 1. Debian's Rust with std sources, the wasm linker, binaryen (wasm-opt).
packages=(rustc-web cargo-web rust-web-src lld-19 binaryen)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-wasm: installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. wasm-bindgen CLI: exactly the version of the wasm-bindgen crate in the
#    lock file (the two must match). Installed with rustup's cargo, from
#    crates.io, without --locked (its lock pins a yanked crate).
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' wasm/Cargo.lock)
[ -n "$version" ] || { echo "build-wasm: no wasm-bindgen in wasm/Cargo.lock" >&2; exit 1; }
installed=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$installed" != "$version" ]; then
  echo "build-wasm: installing wasm-bindgen-cli $version (have: ${installed:-none}; takes a few minutes)"
  cargo install -q wasm-bindgen-cli --version "$version"
fi

# 3. Build with Debian's rustc (rustup's cargo/rustc stay first on PATH).
#    Without reference types: Debian's wasm-opt (binaryen 108) writes the
#    export of wasm-bindgen's externref table as the function table (the
#    module then fails to load), so wasm-bindgen keeps JS values in its JS
#    heap instead; nothing crosses the boundary often enough for it to matter.
#    build TARGET_DIR [CARGO ARGS...]: prints the path of the raw module.
build() {
  local dir=$1
  shift
  echo "build-wasm: cargo build (wasm32-unknown-unknown, release, build-std${*:+, $*})" >&2
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=-reference-types" \
    /usr/bin/cargo build --release --locked --target wasm32-unknown-unknown \
      -Z build-std=std,panic_abort --manifest-path wasm/Cargo.toml --target-dir "$dir" "$@" >&2
  echo "$dir/wasm32-unknown-unknown/release/$CRATE.wasm"
}
page_raw=$(build "$TARGET_DIR")
siting_raw=$(build "$TARGET_DIR/siting" --features siting)

# 4. JS glue, then wasm-opt on the module each package loads.
size() { stat -c %s "$1"; }
# package RAW TARGET OUT: wasm-bindgen + wasm-opt.
package() {
  local raw=$1 target=$2 out=$3
  rm -rf "$out"
  wasm-bindgen --target "$target" --out-dir "$out" "$raw"
  local wasm="$out/${CRATE}_bg.wasm"
  wasm-opt "$OPT_LEVEL" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
}
package "$page_raw" web "$PKG/web"
package "$siting_raw" web "$PKG/web-siting"
package "$siting_raw" nodejs "$PKG/node"

# 5. Size report (the node module is the siting module's code).
kib() { awk -v b="$1" 'BEGIN { printf "%8.1f KiB", b / 1024 }'; }
over=0
# report NAME RAW WASM GLUE BUDGET_KIB
report() {
  local name=$1 raw=$2 wasm=$3 glue=$4 budget=$5
  local gz br=""
  gz=$(gzip -9 -c "$wasm" | wc -c)
  command -v brotli >/dev/null && br=$(brotli -c -q 11 "$wasm" | wc -c)
  echo "build-wasm: size of $name"
  echo "  cargo output (raw)          $(kib "$(size "$raw")")"
  echo "  after wasm-opt $OPT_LEVEL          $(kib "$(size "$wasm")")"
  echo "  gzip -9                     $(kib "$gz")   (budget $budget KiB)"
  [ -z "$br" ] || echo "  brotli -q 11                $(kib "$br")"
  echo "  JS glue                     $(kib "$(size "$glue")")"
  if [ "$gz" -gt $((budget * 1024)) ]; then
    echo "build-wasm: the gzipped $name ($((gz / 1024)) KiB) is over the budget of $budget KiB" >&2
    over=1
  fi
}
report "page module (wasm/pkg/web)" "$page_raw" "$PKG/web/${CRATE}_bg.wasm" "$PKG/web/$CRATE.js" "$BUDGET_GZIP_KIB"
report "siting module (wasm/pkg/web-siting)" "$siting_raw" "$PKG/web-siting/${CRATE}_bg.wasm" "$PKG/web-siting/$CRATE.js" "$SITING_BUDGET_GZIP_KIB"
exit "$over"
