#!/usr/bin/env bash
# Echo throughput benchmark: one echo node fed from a pipe. Usage: maelstrom-tests/bench-echo.sh [count=200000] [runs=5]
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
[[ -x target/launcher && -d target/test-classes/glomers/bench ]] || mvn -q -B package -DskipTests
[[ -d target/test-classes/glomers/bench ]] || mvn -q -B test-compile
launcher="$(readlink -f "${LAUNCHER:-target/launcher}")"
echo "$(machine_line); java: $(cat target/launcher.java 2>/dev/null || echo PATH)"
exec java -cp target/test-classes glomers.bench.EchoThroughputBench "$launcher" "${1:-200000}" "${2:-5}"
