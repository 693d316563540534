#!/usr/bin/env bash
# Subscription figures, one command: starts app/target/fhirbolt.jar (security off, fresh data dir under
# bench/target/, 127.0.0.1 on a free port), measures write throughput without, with 100 rest-hook subscriptions and
# without again (after deleting them), and the notification latency (bench/subscriptions/SubscriptionBench.java), prints them, and stops the server.
#   bench/subscriptions.sh [SUBSCRIPTIONS=100] [CLIENTS=8] [SECONDS=10]
# FHIRBOLT_BENCH_OBSERVATION=vital-signs writes Synthea-shaped heart-rate Observations instead of the smallest ones;
# FHIRBOLT_BENCH_WARMUP / FHIRBOLT_BENCH_SUBSCRIBED_WARMUP: seconds of writes before the phases, without (15) and with
# the subscriptions (10);
# FHIRBOLT_BENCH_JAVA_OPTS adds JVM options to the server (e.g. -XX:StartFlightRecording=filename=subs.jfr);
# FHIRBOLT_BENCH_JAR runs another build of the server (to compare two builds on the same machine).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
subs=${1:-100}; clients=${2:-8}; seconds=${3:-10}
jar=${FHIRBOLT_BENCH_JAR:-app/target/fhirbolt.jar}
[ -f "$jar" ] || ./mvnw -B -ntp -q package -pl app -am -DskipTests
data=$(mktemp -d "$root/bench/target/subs-XXXXXX" 2>/dev/null || { mkdir -p bench/target; mktemp -d "$root/bench/target/subs-XXXXXX"; })
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -Xmx1g ${FHIRBOLT_BENCH_JAVA_OPTS:-} -jar "$jar" serve --host 127.0.0.1 --port "$port" --data-dir "$data" --security off \
  > "$data.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.5
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
java bench/subscriptions/SubscriptionBench.java "http://127.0.0.1:$port" "$subs" "$clients" "$seconds" "$pid"
