#!/usr/bin/env bash
# Cluster benchmark: starts a cluster with bin/cluster (default 3 Kafka, 3 Cassandra, 2 Fhirbolt; development mode,
# its own directory and ports) and measures, on this machine:
#   1. durable creates/s through node 1 (bench/run.sh's create scenario, 16 clients)
#   2. reads/s through each node (bench/run.sh's read scenario, 16 clients)
#   3. Synthea ingest through node 1 (fhirbolt load --server), and how long node 2 takes to catch up afterwards
#   4. the apply rate of one node: a third, empty Fhirbolt node replays the whole log; its start-up time
#   5. reads by id of every ingested resource through node 2 once with its content cache cold (restarted), then warm
# and prints the figures (docs/distributed.md, "Measured").
#
#   bench/cluster.sh                          the standard run (10 Synthea patients, seed 7, generated once)
#   bench/cluster.sh --kafka 1 --cassandra 1  a smaller cluster
#   bench/cluster.sh --patients 20 --seed 3   another Synthea set
#   bench/cluster.sh --data DIR               a Synthea output directory you have (DIR/fhir holds the bundles)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
kafka=3 cassandra=3 patients=10 seed=7 duration=20s data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --kafka) kafka=$2; shift 2 ;;
    --cassandra) cassandra=$2; shift 2 ;;
    --patients) patients=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
export FHIRBOLT_CLUSTER_DIR="${FHIRBOLT_CLUSTER_DIR:-$root/bench/target/bench-cluster}"
export FHIRBOLT_CLUSTER_PORT_BASE="${FHIRBOLT_CLUSTER_PORT_BASE:-27000}"
export FHIRBOLT_SECURITY=off FHIRBOLT_AUDIT=off
if [ -z "$data" ]; then
  data="$root/bench/target/synthea-$patients-$seed"
  [ -d "$data/fhir" ] || scripts/synthea.sh "$data" "$patients" "$seed" >&2
fi
./mvnw -q -B -ntp -pl app,bench -am package -DskipTests >&2
bin/cluster down >/dev/null 2>&1 || true
trap 'bin/cluster down >/dev/null 2>&1 || true' EXIT
started=$SECONDS
mapfile -t urls < <(bin/cluster up --kafka "$kafka" --cassandra "$cassandra" --fhirbolt 2)
echo "cluster ($kafka Kafka, $cassandra Cassandra, 2 Fhirbolt) up in $((SECONDS - started)) s"
applied() { curl -fs "$1/health" | sed -n 's/.*"appliedPosition":\([0-9-]*\).*/\1/p'; }
# CPU seconds (user + system) Fhirbolt node I has used so far: the cost per resource, whatever else the machine runs
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$(cat "$FHIRBOLT_CLUSTER_DIR/fhirbolt-$1/pid")/stat"; }

resources=$(cat "$data"/fhir/*.json | grep -o '"request"' | wc -l)
echo "== ingest: $resources resources ($patients Synthea patients) through node 1"
c0=$(cpu 1); d0=$(cpu 2)
t0=$(date +%s.%N)
./fhirbolt load --server "${urls[0]}" "$data/fhir" > "$FHIRBOLT_CLUSTER_DIR/load.log" 2>&1 \
  || { echo "the load failed:"; tail -20 "$FHIRBOLT_CLUSTER_DIR/load.log"; exit 1; }
t1=$(date +%s.%N)
target=$(applied "${urls[0]}")
until [ "$(applied "${urls[1]}")" = "$target" ]; do sleep 0.1; done
t2=$(date +%s.%N)
awk -v n="$resources" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
  printf "ingest %.0f resources/s (%.1f s); node 2 caught up %.2f s after the load ended\n", n / (b - a), b - a, c - b }'
awk -v n="$resources" -v a="$c0" -v b="$(cpu 1)" -v c="$d0" -v d="$(cpu 2)" 'BEGIN {
  printf "CPU per 1,000 resources: node 1 (plans and applies) %.2f s, node 2 (applies) %.2f s\n",
    (b - a) * 1000 / n, (d - c) * 1000 / n }'

echo "== a third node replays the log from empty"
t0=$(date +%s.%N)
bin/cluster start fhirbolt 3 >/dev/null
t1=$(date +%s.%N)
awk -v n="$resources" -v a="$t0" -v b="$t1" 'BEGIN {
  printf "node 3 ready after %.1f s (JVM start included): %.0f resources/s applied\n", b - a, n / (b - a) }'
bin/cluster stop fhirbolt 3

echo "== node 2's data directory after the ingest: $(du -sm "$FHIRBOLT_CLUSTER_DIR/fhirbolt-2/data" | cut -f1) MB"
echo "== reads by id of every ingested resource through node 2, its content cache cold (node 2 restarted), then warm"
ids="$FHIRBOLT_CLUSTER_DIR/ids.txt"; : > "$ids"
page="${urls[0]}/_history?_count=1000"
while [ -n "$page" ]; do # every resource, from node 1's history (newest first: one bundle's resources together)
  body=$(curl -fs "$page")
  grep -o '"fullUrl":"[^"]*"' <<<"$body" | sed 's#"$##; s#/_history/[0-9]*$##' | awk -F/ '{ print $(NF-1) "/" $NF }' >> "$ids"
  page=$(grep -o '"relation":"next","url":"[^"]*"' <<<"$body" | sed 's/.*"url":"//; s/"$//' || true)
done
bin/cluster stop fhirbolt 2 && bin/cluster start fhirbolt 2 >/dev/null
for pass in cold warm; do
  echo -n "$pass: "
  "$JAVA_HOME/bin/java" -Xmx256m -cp bench/target/fhirbolt-bench.jar dev.fhirbolt.bench.cluster.ReadEachOnce \
    "${urls[1]}" "$ids" 16 || true
done
curl -fs "${urls[1]}/metrics" | grep -E '^fhirbolt_content_(cache_(hits|misses|bytes)|store_fetch)' || true

echo "== durable creates through node 1"
bench/run.sh --server "${urls[0]}" --scenarios create --clients 16 --warmup 5s --duration "$duration" \
  --results "$FHIRBOLT_CLUSTER_DIR/results-create" | tail -n 12
for i in 0 1; do
  echo "== reads through node $((i + 1))"
  bench/run.sh --server "${urls[$i]}" --scenarios read --clients 16 --warmup 5s --duration "$duration" \
    --results "$FHIRBOLT_CLUSTER_DIR/results-read-$i" | tail -n 12
done
