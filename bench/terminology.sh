#!/usr/bin/env bash
# Terminology benchmark: generates a 50,000-concept code system (CSV: a tree five levels deep, displays of generated
# words), loads it with `fhirbolt terminology load --server` into a server it starts on 127.0.0.1 with an empty data
# dir under bench/target/, then times (after warm-up) $expand with a text filter over the whole system, $expand of an
# is-a filter, $validate-code (code system and value set) and $lookup. Prints a Markdown table (docs/benchmarks.md).
#
#   bench/terminology.sh               50,000 concepts, 2,000 timed calls per operation (1,000 untimed before:
#                                      with fewer the JIT is still compiling the operations, e.g. 250 untimed gave
#                                      $validate-code 0.98-1.51 ms p50, 1,000 gave 0.22-0.45 ms on the same machine)
#   bench/terminology.sh CONCEPTS N    other amounts
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
jar=app/target/fhirbolt.jar
if [ ! -f "$jar" ] || [ -n "$(find common storage-api storage-rocksdb database fhir search validation terminology rest \
    auth bulk authz app \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "building the server jar..." >&2
  ./mvnw -q -B -ntp -pl app -am package -DskipTests >&2
fi
mkdir -p bench/target
javac -d bench/target/harness bench/harness/BenchServer.java
java -cp bench/target/harness bench/terminology/TerminologyBench.java "$jar" "${1:-50000}" "${2:-2000}"
