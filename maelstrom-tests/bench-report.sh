#!/usr/bin/env bash
# Report generation benchmark: rebuilds report.html of one finished run N times, each in a fresh JVM (as the
# `report` command does; the harness hook runs warm-ish inside the test JVM), and prints the medians of wall time
# and of the JVM's user+sys CPU time.
#   Usage: maelstrom-tests/bench-report.sh [store-dir=store/latest] [runs=5]
# A "20 s run at rate 1000": target/launcher test -w echo --bin target/launcher --node-count 5 --time-limit 20 \
#   --rate 1000 echo   (≈ 20 000 ops, 40 000 messages), then run this script on store/latest.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
[[ -x target/launcher ]] || mvn -q -B package -DskipTests
dir="$(readlink -f "${1:-store/latest}")"
runs="${2:-5}"
launcher="$(readlink -f "${LAUNCHER:-target/launcher}")"
echo "$(machine_line); run $dir"
echo "#   history $(wc -l < "$dir/history.jsonl") lines, journal $(wc -l < "$dir/net-journal.jsonl" 2>/dev/null || echo 0) events"
walls=(); cpus=()
for i in $(seq "$runs"); do
  out="$( { /usr/bin/time -f '%e %U %S' "$launcher" report "$dir" >/dev/null; } 2>&1 | tail -1)"
  read -r w u s <<<"$out"
  walls+=("$w"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "wall s: ${walls[*]} → median $(median "${walls[@]}")"
echo "cpu s (user+sys, whole JVM incl. start-up and JIT): ${cpus[*]} → median $(median "${cpus[@]}")"
