#!/usr/bin/env bash
# Fhirbolt benchmark: one command that builds what is missing, starts a fresh server, measures, and cleans up.
#
#   bench/run.sh                                  the standard run: create and read at 1, 16 and 64 clients
#   bench/run.sh --warmup 2s --duration 5s        a quick run
#   bench/run.sh --scenarios read --clients 64    one scenario, one concurrency
#   bench/run.sh --scenarios enforce --clients 16 what SMART enforcement costs (server with --security smart)
#   bench/run.sh --server http://host:8080 [--server-pid PID]   load a server that is already running
#   bench/run.sh --help                           every option of the load generator
#
# Without --server it starts `java $FHIRBOLT_JAVA_OPTS -jar app/target/fhirbolt.jar serve` (the JVM options ./fhirbolt
# uses, bin/server-java-opts.sh) on a fresh data dir under
# bench/target/ (deleted afterwards), times its start-up (to GET /health and, after a restart with data, to the first read), reads its
# RSS (/proc/PID/status) after start-up and after each step, runs the scenarios, and stops it with SIGTERM.
# It prints a table with the targets beside the figures, and writes the same as JSON and Markdown to
# bench/results/ (latest.json, latest.md and a time-stamped copy; the server's log is bench/results/server.log).
# Jars are (re)built when missing or older than the sources. Client and server share the machine's cores: see
# docs/benchmarks.md for how to read the CPU columns.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
. bin/server-java-opts.sh

. bench/jars.sh
server_jar=$fhirbolt_server_jar
bench_jar=$fhirbolt_bench_jar

external=false
results_given=false
jvm_args_given=false
for arg in "$@"; do
  case "$arg" in
    --server|--server=*|-h|--help|-V|--version) external=true ;;
    --results|--results=*) results_given=true ;;
    --server-jvm-args|--server-jvm-args=*) jvm_args_given=true ;;
  esac
done

$external || fhirbolt_build_server_jar
fhirbolt_build_bench_jar

# the data dir lives on the disk that holds the project, not in /tmp, which may be a tmpfs where fsync is free
mkdir -p bench/target
work=$(mktemp -d "$root/bench/target/run.XXXXXX")
cleanup() {
  # the load generator stops the server itself; this only catches a server left behind by a crash
  if [ -f "$work/server.pid" ]; then
    pid=$(cat "$work/server.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

args=()
$results_given || args+=(--results bench/results)
if ! $external; then
  args+=(--server-jar "$server_jar" --java "$JAVA_HOME/bin/java" --data-dir "$work/data"
         --server-pid-file "$work/server.pid")
  if ! $jvm_args_given; then
    args+=(--server-jvm-args "$FHIRBOLT_JAVA_OPTS")
    fhirbolt_prime_class_archive "$server_jar"
  fi
fi
# The load generator gets a small heap and the serial collector: it should take as little CPU as it can.
"$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -jar "$bench_jar" "${args[@]}" "$@"
