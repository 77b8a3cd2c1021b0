#!/usr/bin/env bash
# Simulation speed (docs/sim.md#speed). Usage: maelstrom-tests/bench-sim.sh [runs=5] [seeds-3c=1000] [seeds-5c=100]
# Reports, as medians of `runs`:
#   3d fresh   wall time of one `launcher sim` process on the 3d row (25 nodes, 20 s, rate 100, latency 100)
#              with its report                                                     target ≤ 3 s
#   3d warm    wall time of one seed of that row inside a warm JVM (`--seeds 1..runs+1 --threads 1`, the
#              first seed dropped as warm-up; no report)                           target ≤ 1 s
#   3c seeds   wall time of `--seeds N` of 3c (5 nodes, partitions), all cores     target ≤ 60 s for 1000
#   5c seeds   wall time of `--seeds N` of 5c (kafka, rate 1000), checker incl.    target ≤ 60 s for 100
# Also the CPU seconds of each, so that figures taken on a loaded machine can be compared.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
runs="${1:-5}"
seeds3c="${2:-1000}"
seeds5c="${3:-100}"
[[ -x target/launcher ]] || mvn -q -B package -DskipTests
L="$root/target/launcher"
store="$(mktemp -d -t bench-sim.XXXXXX)"
trap 'rm -rf "$store"' EXIT
machine_line

median() { python3 -c 'import sys,statistics; v=[float(x) for x in sys.argv[1:]]; print(round(statistics.median(v),3))' "$@"; }
# timed CMD…: runs CMD with its output discarded; prints "<wall s> <cpu s>"
timed() {
  /usr/bin/time -o "$store/time" -f '%e %U %S' "$@" >/dev/null 2>&1 || true
  python3 -c "w,u,s=map(float,open('$store/time').read().split()[-3:]); print(w, round(u+s,2))"
}
row() { catalogue_row "$1" | cut -f3; }
read -r -a f3d <<<"$(row 3d)"
read -r -a f3c <<<"$(row 3c)"
read -r -a f5c <<<"$(row 5c)"

ws=(); cs=()
for i in $(seq "$runs"); do
  read -r w c < <(timed "$L" sim "${f3d[@]}" --seed "$i" --store "$store" broadcast)
  ws+=("$w"); cs+=("$c")
done
echo "3d fresh process, wall s: ${ws[*]} → median $(median "${ws[@]}") (target ≤ 3); CPU s median $(median "${cs[@]}")"

out=$("$L" sim "${f3d[@]}" --seeds "1..$((runs + 1))" --threads 1 --store "$store" broadcast 2>/dev/null || true)
mapfile -t warm < <(awk '$1 ~ /^[0-9]+$/ && $2 ~ /^(true|false|unknown|crash)$/ {print $NF}' <<<"$out" | tail -n +2)
echo "3d warm JVM, wall s per seed: ${warm[*]} → median $(median "${warm[@]}") (target ≤ 1)"

for spec in "3c:$seeds3c:broadcast" "5c:$seeds5c:kafka"; do
  IFS=: read -r id n node <<<"$spec"
  declare -n flags="f$id"
  ws=(); cs=()
  for i in $(seq "$runs"); do
    read -r w c < <(timed "$L" sim "${flags[@]}" --seeds "$n" --store "$store" "$node")
    ws+=("$w"); cs+=("$c")
    rm -rf "${store:?}/${flags[1]}"
  done
  echo "$id --seeds $n, wall s: ${ws[*]} → median $(median "${ws[@]}") (target ≤ 60); CPU s median $(median "${cs[@]}")"
done
