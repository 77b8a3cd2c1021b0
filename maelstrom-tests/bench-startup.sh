#!/usr/bin/env bash
# Start-up & footprint benchmark: N launchers started at once, each sent init immediately.
# Usage: maelstrom-tests/bench-startup.sh [nodes=25] [runs=5] [workload=echo] [node args…]
# Env: LAUNCHER (default target/launcher); GLOMERS_NO_CDS / GLOMERS_JAVA_OPTS are passed to the nodes.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
[[ -x target/launcher && -d target/test-classes/glomers/bench ]] || mvn -q -B package -DskipTests
[[ -d target/test-classes/glomers/bench ]] || mvn -q -B test-compile
launcher="$(readlink -f "${LAUNCHER:-target/launcher}")"
echo "$(machine_line); java: $(cat target/launcher.java 2>/dev/null || echo PATH)"
exec java -cp target/test-classes glomers.bench.StartupBench "$launcher" "${1:-25}" "${2:-5}" "${3:-echo}" "${@:4}"
