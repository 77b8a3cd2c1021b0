#!/usr/bin/env bash
# Echo throughput benchmark: one echo node fed from a pipe. Usage: maelstrom-tests/bench-echo.sh [count=200000] [runs=5]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
[[ -x target/launcher && -d target/test-classes/glomers/bench ]] || mvn -q -B package -DskipTests
[[ -d target/test-classes/glomers/bench ]] || mvn -q -B test-compile
launcher="$(readlink -f "${LAUNCHER:-target/launcher}")"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); java: $(cat target/launcher.java 2>/dev/null || echo PATH)"
exec java -cp target/test-classes glomers.bench.EchoThroughputBench "$launcher" "${1:-200000}" "${2:-5}"
