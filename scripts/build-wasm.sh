#!/usr/bin/env bash
# Builds the WebAssembly package of bbcov (wasm/, over bbcov-core without
# rayon) and reports its size against the budget.
#
#   wasm/pkg/web/   ES module for the browser (wasm-bindgen --target web)
#   wasm/pkg/node/  CommonJS module for Node (--target nodejs), used by wasm/tests/
#
# Recipe: ../shared/toolchain/WASM.md. rustup has no wasm32 target here, so
# Debian's rustc-web builds std for wasm32 with -Z build-std, in its own
# target dir (target-wasm/) so that it never shares artifacts with rustup's
# rustc. Idempotent: installs only what is missing, and a second run with no
# change rebuilds nothing but the (fast) bindgen and wasm-opt steps.
#
# Environment: WASM_BUDGET_GZIP_KIB (default below) fails the build when the
# gzipped module grows past it; WASM_OPT_LEVEL (default -Oz).
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET_GZIP_KIB=${WASM_BUDGET_GZIP_KIB:-160}
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
echo "build-wasm: cargo build (wasm32-unknown-unknown, release, build-std)"
RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19 \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=-reference-types" \
  /usr/bin/cargo build --release --locked --target wasm32-unknown-unknown \
    -Z build-std=std,panic_abort --manifest-path wasm/Cargo.toml --target-dir "$TARGET_DIR"
raw="$TARGET_DIR/wasm32-unknown-unknown/release/$CRATE.wasm"

# 4. JS glue, then wasm-opt on the module each target loads.
size() { stat -c %s "$1"; }
for target in web nodejs; do
  out="$PKG/${target%js}"
  rm -rf "$out"
  wasm-bindgen --target "$target" --out-dir "$out" "$raw"
  wasm="$out/${CRATE}_bg.wasm"
  bindgen_size=$(size "$wasm")
  wasm-opt "$OPT_LEVEL" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-multivalue "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
done

# 5. Size report (the module of the web package; the node one is the same code).
wasm="$PKG/web/${CRATE}_bg.wasm"
gz=$(gzip -9 -c "$wasm" | wc -c)
br=""
command -v brotli >/dev/null && br=$(brotli -c -q 11 "$wasm" | wc -c)
kib() { awk -v b="$1" 'BEGIN { printf "%8.1f KiB", b / 1024 }'; }
echo "build-wasm: size of $CRATE"
echo "  cargo output (raw)          $(kib "$(size "$raw")")"
echo "  after wasm-bindgen          $(kib "$bindgen_size")"
echo "  after wasm-opt $OPT_LEVEL          $(kib "$(size "$wasm")")"
echo "  gzip -9                     $(kib "$gz")   (budget $BUDGET_GZIP_KIB KiB)"
[ -z "$br" ] || echo "  brotli -q 11                $(kib "$br")"
echo "  JS glue (web)               $(kib "$(size "$PKG/web/$CRATE.js")")"
if [ "$gz" -gt $((BUDGET_GZIP_KIB * 1024)) ]; then
  echo "build-wasm: the gzipped module ($((gz / 1024)) KiB) is over the budget of $BUDGET_GZIP_KIB KiB" >&2
  exit 1
fi
