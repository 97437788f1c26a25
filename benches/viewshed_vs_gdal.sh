#!/usr/bin/env bash
# bbcov_core::viewshed against gdal_viewshed on the same synthetic island DEM, in the same run.
#
#   benches/viewshed_vs_gdal.sh [SIZE [CELL_M]]     # default 2101 x 2101 at 30 m: r = 30 km holds 3.14 M cells
#
# Needs gdal-bin (gdal_viewshed, gdal_translate). Prints the agreement (share of the
# cells in range where both say the same), the disagreements arbitrated by the exact
# R3 sightline, and the times: gdal_viewshed as a process (median of 5, as in
# ../shared/peers/RESULTS.md; it includes reading the GeoTIFF and writing its output),
# the same minus GDAL's fixed cost (a 1-pixel -md run), and bbcov in-process
# (median of 7) on all cores, on 2 threads and on 1 thread.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-2101}
CELL=${2:-30}
OUT=${OUT:-target/viewshed_vs_gdal}
command -v gdal_viewshed >/dev/null || { echo "gdal_viewshed not found (apt-get install gdal-bin)" >&2; exit 1; }

cargo build -q --release -p bbcov-core --example viewshed_compare
EX=target/release/examples/viewshed_compare
mkdir -p "$OUT"
"$EX" write "$OUT" "$SIZE" "$CELL"
# shellcheck disable=SC1091
source "$OUT/params.sh"
# GDAL applies -cc only when the raster has an SRS: give it UTM 52N; keep Float32.
gdal_translate -q -ot Float32 -a_srs EPSG:32652 -of GTiff "$OUT/dem.asc" "$OUT/dem.tif"

run_gdal() { # $1 = max distance, $2 = output
  gdal_viewshed -q -oz "$OZ" -tz "$TZ" -md "$1" -cc "$CC" -vv 255 -iv 0 -ov 1 -ox "$OX" -oy "$OY" "$OUT/dem.tif" "$2"
}
median_time() { # median wall time of 5 runs of "$@"
  for _ in 1 2 3 4 5; do
    local t0 t1
    t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
  done | sort -g | sed -n 3p
}
run_gdal "$MD" "$OUT/gdal.tif" # warm the page cache
GDAL_S=$(median_time run_gdal "$MD" "$OUT/gdal.tif")
OVERHEAD_S=$(median_time run_gdal "$CELL" "$OUT/gdal_tiny.tif")
gdal_translate -q -of AAIGrid "$OUT/gdal.tif" "$OUT/gdal.asc"
echo "gdal_viewshed -oz $OZ -tz $TZ -md $MD -cc $CC: ${GDAL_S} s (median of 5; fixed cost of a 1-pixel run ${OVERHEAD_S} s)"

"$EX" compare "$OUT" "$OUT/gdal.asc" "$GDAL_S" "$OVERHEAD_S"
for threads in 2 1; do
  RAYON_NUM_THREADS=$threads "$EX" compare "$OUT" "$OUT/gdal.asc" "$GDAL_S" "$OVERHEAD_S" | grep -E '^(bbcov viewshed|TIMES)'
done
