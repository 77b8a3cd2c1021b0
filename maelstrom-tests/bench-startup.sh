#!/usr/bin/env bash
# Start-up & footprint benchmark: N launchers started at once, each sent init immediately.
# Usage: maelstrom-tests/bench-startup.sh [nodes=25] [runs=5] [workload=echo] [node args…]
# Env: LAUNCHER (default target/launcher); GLOMERS_NO_AOT (JDK 17 + CDS) / GLOMERS_NO_CDS / GLOMERS_JAVA_OPTS /
# GLOMERS_WARMUP / GLOMERS_WARMUP_AT are passed to the nodes. Compare JDKs side by side: run it once plain and once with GLOMERS_NO_AOT=1.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
[[ -x target/launcher && -d target/test-classes/glomers/bench ]] || mvn -q -B package -DskipTests
[[ -d target/test-classes/glomers/bench ]] || mvn -q -B test-compile
launcher="$(readlink -f "${LAUNCHER:-target/launcher}")"
nodes_java="$(cat target/launcher.java 2>/dev/null || echo PATH) + AppCDS"
if [[ -z "${GLOMERS_NO_AOT:-}${GLOMERS_NO_CDS:-}${GLOMERS_JAVA:-}" && -f target/glomers.aot && -x "$(cat target/launcher.aot-java 2>/dev/null)" ]]; then
  nodes_java="$(cat target/launcher.aot-java) + AOT cache"
fi
echo "$(machine_line); nodes run on: $nodes_java; warm-up ${GLOMERS_WARMUP:-0} rounds at ${GLOMERS_WARMUP_AT:-start}"
exec java -cp target/test-classes glomers.bench.StartupBench "$launcher" "${1:-25}" "${2:-5}" "${3:-echo}" "${@:4}"
