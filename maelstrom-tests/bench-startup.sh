#!/usr/bin/env bash
# Start-up & footprint benchmark: N launchers started at once, each sent init immediately.
# Usage: maelstrom-tests/bench-startup.sh [nodes=25] [runs=5] [workload=echo] [node args…]
# Env: LAUNCHER (default target/launcher); GLOMERS_NO_CDS / GLOMERS_JAVA_OPTS are passed to the nodes.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
[[ -x target/launcher && -d target/test-classes/glomers/bench ]] || mvn -q -B package -DskipTests
[[ -d target/test-classes/glomers/bench ]] || mvn -q -B test-compile
launcher="$(readlink -f "${LAUNCHER:-target/launcher}")"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); java: $(cat target/launcher.java 2>/dev/null || echo PATH)"
exec java -cp target/test-classes glomers.bench.StartupBench "$launcher" "${1:-25}" "${2:-5}" "${3:-echo}" "${@:4}"
