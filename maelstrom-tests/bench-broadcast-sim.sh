#!/usr/bin/env bash
# Noise-free broadcast trade-off table on virtual time (exact 100 ms hops, no CPU contention): the 3d schedule
# (25 nodes, rate 100, 20 s, final reads) simulated in-process, stable latencies from the real set-full checker.
# Usage: maelstrom-tests/bench-broadcast-sim.sh [POINT…]   (env SEEDS, default 5)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
mvn -q -B -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
exec java -Dseeds="${SEEDS:-5}" -cp "target/classes:target/test-classes:$(cat target/test-cp.txt)" glomers.workloads.broadcast.SimSweep "$@"
