#!/usr/bin/env bash
# Validation benchmark: ingest of the repository's Synthea fixtures with validation off, base, and base with
# referential integrity (the defaults), and $validate of a Synthea Patient (p50/p90 after warm-up), each against a
# server it starts on 127.0.0.1 and an empty data dir under bench/target/. Prints a Markdown table (docs/benchmarks.md).
#
#   bench/validation.sh                      5 rounds of the patient bundles, 2 clients, 200 timed $validate calls
#                                            after 8,000 untimed ones (2,000 before 2026-12-07 20:05 UTC: p50 was
#                                            still falling until about 8,000 calls, the JIT compiling HAPI's validator)
#   bench/validation.sh ROUNDS CLIENTS N [WARMUP]   other amounts
#   BENCH_DEFAULTS_ONLY=1                    only the defaults' server (e.g. to profile $validate)
#   BENCH_SERVER_JAVA_OPTS="..."             more JVM options for the servers, e.g. a JFR recording:
#     -XX:StartFlightRecording=filename=v.jfr,settings=profile -XX:FlightRecorderOptions=stackdepth=1024
# Each row also gives the server's CPU time per timed $validate (from the OS) and the load average; stderr shows the
# p50 and server CPU per call of each window of 500 $validate calls, warm-up included (how far the JIT has got).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
jar=app/target/fhirbolt.jar
if [ ! -f "$jar" ] || [ -n "$(find common storage-api storage-rocksdb database fhir search validation rest auth bulk authz app \
    \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "building the server jar..." >&2
  ./mvnw -q -B -ntp -pl app -am package -DskipTests >&2
fi
mkdir -p bench/target
javac -d bench/target/harness bench/harness/BenchServer.java
java -cp bench/target/harness bench/validation/ValidationBench.java "$jar" app/src/test/resources/synthea "${1:-5}" "${2:-2}" "${3:-200}" "${4:-8000}"
