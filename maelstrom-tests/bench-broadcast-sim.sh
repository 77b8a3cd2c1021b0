#!/usr/bin/env bash
# Noise-free broadcast trade-off table on virtual time (exact 100 ms hops, no CPU contention): the 3d schedule
# (25 nodes, rate 100, 20 s, final reads) simulated in-process, stable latencies from the real set-full checker.
# Usage: maelstrom-tests/bench-broadcast-sim.sh [POINT…]   (env SEEDS, default 5; JITTER ms per hop, default 0; OUT, default
#   maelstrom-tests/results/broadcast-sim-<utc time>: runs.tsv, table.md and tradeoff.svg as bench-broadcast.sh)
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
mvn -q -B -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
out="${OUT:-maelstrom-tests/results/broadcast-sim-$(date -u +%Y%m%dT%H%M%S)}"
mkdir -p "$out"
java -Dseeds="${SEEDS:-5}" -Djitter="${JITTER:-0}" -Dtsv="$out/runs.tsv" -cp "target/classes:target/test-classes:$(cat target/test-cp.txt)" \
  glomers.workloads.broadcast.SimSweep "$@" | tee "$out/sim-table.md"
python3 maelstrom-tests/broadcast-plot.py "$out/runs.tsv" "$out" > /dev/null
echo "wrote $out/sim-table.md, $out/table.md and $out/tradeoff.svg"
