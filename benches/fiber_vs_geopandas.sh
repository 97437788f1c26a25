#!/usr/bin/env bash
# Side by side: bbcov `fiber_coverage` against GeoPandas `sjoin_nearest(max_distance=D)`
# on the same input files (the peers' seeded generator), in the same run.
#
# Usage: benches/fiber_vs_geopandas.sh [100k|1M|5M]      (default 1M)
#
#   PEERS_DIR   the peer baselines (default: ../shared/peers relative to the repo root);
#               when absent the script prints "skipped" and exits 0.
#   D           drop limit in metres (default 500).
#   PYTHON      the interpreter the venv is made from (default python3).
#   REPEAT      runs of each tool, alternating (default 1); the table shows the median run.
#   THREADS     bbcov's thread count (default: all cores).
#
# Work files go to benches/work/ (git-ignored): .venv (the peers' pinned requirements),
# peers/ (a writable copy of PEERS_DIR; its generator writes peers/data/fiber/), and the
# /usr/bin/time reports. Every step is skipped when already done.
#
# Fails (exit 1) when the counts within D differ or the sums of distances within D differ
# by more than 0.01 m per household.
set -euo pipefail

SIZE=${1:-1M}
case "$SIZE" in
  100k | 1M | 5M) ;;
  *) echo "usage: $0 [100k|1M|5M]" >&2; exit 2 ;;
esac
D=${D:-500}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/peers}
if [ ! -f "$PEERS_DIR/run/fiber_geopandas.py" ] || [ ! -f "$PEERS_DIR/gen/fiber_data.py" ]; then
  echo "fiber_vs_geopandas: peer baselines not found at '$PEERS_DIR' (set PEERS_DIR): skipped"
  exit 0
fi
PEERS_DIR=$(cd "$PEERS_DIR" && pwd)
WORK=$ROOT/benches/work
VENV=$WORK/.venv
PEERS=$WORK/peers
mkdir -p "$WORK"
log() { echo "[fiber_vs_geopandas] $*" >&2; }

# (a) Python venv with the peers' pinned requirements; redone only when requirements.txt changes.
REQ_HASH=$(sha256sum "$PEERS_DIR/requirements.txt" | cut -d' ' -f1)
if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$REQ_HASH" ]; then
  log "creating $VENV with $PEERS_DIR/requirements.txt (a few minutes, once)"
  [ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$PEERS_DIR/requirements.txt"
  echo "$REQ_HASH" > "$VENV/.requirements.sha256"
fi
PY=$VENV/bin/python

# (b) Writable copy of the peers (their generator writes data/ next to itself); data/ is kept.
mkdir -p "$PEERS"
for item in "$PEERS_DIR"/* "$PEERS_DIR"/.gitignore; do
  name=$(basename "$item")
  case "$name" in data | .venv | results) continue ;; esac
  rm -rf "${PEERS:?}/$name"
  cp -R "$item" "$PEERS/$name"
done
chmod -R u+w "$PEERS"
DATA=$PEERS/data/fiber
if [ ! -s "$DATA/households_$SIZE.csv" ] || [ ! -s "$DATA/households_$SIZE.parquet" ] \
   || [ ! -s "$DATA/routes.geojson" ] || [ ! -s "$DATA/routes.parquet" ]; then
  log "generating the $SIZE fiber data in $DATA"
  (cd "$PEERS" && "$PY" gen/fiber_data.py "$SIZE" >&2)
fi

# (c) Build bbcov's runner (release), then run both on the same files, alternating.
log "building fiber_peer_input (release)"
if ! (cd "$ROOT" && cargo build --release --quiet -p bbcov-benches --bin fiber_peer_input) 2> "$WORK/build.log"; then
  cat "$WORK/build.log" >&2
  exit 1
fi
BIN=$ROOT/target/release/fiber_peer_input

REPEAT=${REPEAT:-1}
THREAD_ARGS=()
if [ -n "${THREADS:-}" ]; then THREAD_ARGS=(--threads "$THREADS"); fi
PEER_RUNS=$WORK/fiber_geopandas_$SIZE.jsonl
OURS_RUNS=$WORK/fiber_bbcov_$SIZE.jsonl
: > "$PEER_RUNS"
: > "$OURS_RUNS"
for i in $(seq "$REPEAT"); do
  log "run $i/$REPEAT: geopandas sjoin_nearest at $SIZE"
  (cd "$PEERS" && PEER_TIMEOUT_S=${PEER_TIMEOUT_S:-600} "$PY" run/fiber_geopandas.py --size "$SIZE" --d "$D") >> "$PEER_RUNS"
  log "run $i/$REPEAT: bbcov fiber_coverage at $SIZE"
  TIME_OUT=$WORK/fiber_bbcov_$SIZE.time
  /usr/bin/time -v -o "$TIME_OUT" "$BIN" --data "$DATA" --size "$SIZE" --d "$D" "${THREAD_ARGS[@]}" \
    > "$WORK/fiber_bbcov_$SIZE.json"
  # Add what /usr/bin/time measured for the whole process to the runner's JSON line.
  RSS_KB=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$TIME_OUT")
  CPU_S=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$TIME_OUT")
  "$PY" -c 'import json, sys
r = json.load(open(sys.argv[1]))
r.update(peak_rss_mb=round(int(sys.argv[2]) / 1024, 1), process_cpu_s=float(sys.argv[3]), status="ok")
print(json.dumps(r))' "$WORK/fiber_bbcov_$SIZE.json" "$RSS_KB" "$CPU_S" >> "$OURS_RUNS"
done

# (d) Table (median run of each tool), ratios and the exactness check.
"$PY" - "$PEER_RUNS" "$OURS_RUNS" <<'PY'
import json, sys


def median_run(path):
    runs = [json.loads(line) for line in open(path) if line.strip()]
    bad = [r for r in runs if r.get("status") != "ok"]
    if bad:
        sys.exit(f"a run failed: {bad[0]}")
    runs.sort(key=lambda r: r["seconds"])
    r = dict(runs[(len(runs) - 1) // 2])  # the median run (the lower one for an even count)
    r["peak_rss_mb"] = max(x["peak_rss_mb"] for x in runs)
    r["all_seconds"] = [x["seconds"] for x in runs]
    return r


peer, ours = median_run(sys.argv[1]), median_run(sys.argv[2])
ps, os_ = peer["result_summary"], ours["result_summary"]
n, reps = ps["n"], len(peer["all_seconds"])
print(f"\nfiber coverage, {peer['size']} households (n = {n:,}), D = {ps['d_m']:g} m"
      + (f", median of {reps} runs" if reps > 1 else "") + "\n")
print(f"| {'run':<24} | {'seconds':>8} | {'load s':>7} | {'peak RSS MB':>11} | {'n_within_d':>10} | {'sum_dist_within_d_m':>19} |")
print(f"|{'-' * 26}|{'-' * 9}:|{'-' * 8}:|{'-' * 12}:|{'-' * 11}:|{'-' * 20}:|")
for name, r, s in [("geopandas sjoin_nearest", peer, ps), ("bbcov fiber_coverage", ours, os_)]:
    print(f"| {name:<24} | {r['seconds']:>8.3f} | {r.get('load_seconds', float('nan')):>7.3f} | "
          f"{r['peak_rss_mb']:>11.1f} | {s['n_within_d']:>10,} | {s['sum_dist_within_d_m']:>19,.2f} |")
if reps > 1:
    print(f"\nall runs (s): geopandas {peer['all_seconds']}, bbcov {ours['all_seconds']}")
speed = peer["seconds"] / ours["seconds"]
mem = ours["peak_rss_mb"] / peer["peak_rss_mb"]
print(f"\nspeed:  bbcov is {speed:.1f}x faster (bbcov on {ours.get('threads', '?')} threads, "
      f"geopandas single-threaded)")
print(f"cpu:    bbcov's fiber_coverage used {ours.get('cpu_seconds')} CPU-s; whole processes (imports, "
      f"loading and summary included): geopandas {peer.get('process_cpu_s')} CPU-s, bbcov {ours.get('process_cpu_s')} CPU-s")
print(f"memory: bbcov peak RSS is {mem:.3f} of geopandas' ({1 / mem:.1f}x less)")
ok_n = ps["n"] == os_["n"] and ps["n_within_d"] == os_["n_within_d"]
dsum = abs(ps["sum_dist_within_d_m"] - os_["sum_dist_within_d_m"])
ok_d = dsum <= 0.01 * n
print(f"check:  n_within_d {'equal' if ok_n else 'DIFFERENT'} ({ps['n_within_d']:,} / {os_['n_within_d']:,}); "
      f"|sum difference| = {dsum:.2f} m (limit 0.01 m x n = {0.01 * n:,.0f} m): {'ok' if ok_d else 'FAILED'}")
sys.exit(0 if ok_n and ok_d else 1)
PY
