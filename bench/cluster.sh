#!/usr/bin/env bash
# Cluster benchmark: starts a cluster with bin/cluster (default 3 Kafka, 3 Cassandra, 2 Fhirbolt; development mode,
# its own directory and ports) and measures, on this machine:
#   1. durable creates/s through node 1 (bench/run.sh's create scenario, 16 clients)
#   2. reads/s through each node (bench/run.sh's read scenario, 16 and 64 clients): strong (the default), with a
#      read-your-writes position (X-Fhirbolt-Position), and after a restart of both nodes with eventual reads
#   3. Synthea ingest through node 1 (fhirbolt load --server), how long node 2 takes to catch up afterwards, and the
#      CPU seconds per 1,000 resources of every process (each broker, Cassandra node, Fhirbolt node, the loader)
#   4. the apply rate of one node: a third, empty Fhirbolt node replays the whole log; its start-up time
#   5. reads by id of every ingested resource through node 2 once with its content cache cold (restarted), then warm
# and prints the figures (docs/distributed.md, "Measured").
#
#   bench/cluster.sh                          the standard run (10 Synthea patients, seed 7, generated once)
#   bench/cluster.sh --kafka 1 --cassandra 1  a smaller cluster
#   bench/cluster.sh --patients 20 --seed 3   another Synthea set
#   bench/cluster.sh --data DIR               a Synthea output directory you have (DIR/fhir holds the bundles)
#   bench/cluster.sh --clients 16,64          the read concurrencies (comma separated)
#   bench/cluster.sh --load-threads 4,8       bundles the loader keeps in flight (default: the loader's own); a
#                                             list ingests once per value (after the replay, on warmer JVMs)
#   bench/cluster.sh --ingest-only            stop after the ingest, the replay and the CPU tables
#   bench/cluster.sh --reads-only             only the reads by id (strong, with a position, eventual): no Synthea
#                                             data, ingest, replay, cold/warm pass or creates (a few minutes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
kafka=3 cassandra=3 patients=10 seed=7 duration=20s data="" clients=16,64 load_threads="" ingest_only=false reads_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --kafka) kafka=$2; shift 2 ;;
    --cassandra) cassandra=$2; shift 2 ;;
    --patients) patients=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --load-threads) load_threads=$2; shift 2 ;;
    --ingest-only) ingest_only=true; shift ;;
    --reads-only) reads_only=true; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
export FHIRBOLT_CLUSTER_DIR="${FHIRBOLT_CLUSTER_DIR:-$root/bench/target/bench-cluster}"
export FHIRBOLT_CLUSTER_PORT_BASE="${FHIRBOLT_CLUSTER_PORT_BASE:-27000}"
export FHIRBOLT_SECURITY=off FHIRBOLT_AUDIT=off
if [ -z "$data" ] && ! $reads_only; then
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
# every running process of the cluster, one "kind-I seconds" line each (user + system CPU, from /proc)
cpu_all() {
  local f pid
  for f in "$FHIRBOLT_CLUSTER_DIR"/*-*/pid; do
    pid=$(cat "$f" 2>/dev/null) || continue
    [ -r "/proc/$pid/stat" ] || continue
    awk -v name="$(basename "$(dirname "$f")")" '{ printf "%s %.2f\n", name, ($14 + $15) / 100 }' "/proc/$pid/stat"
  done
}

# CPU seconds per 1,000 units of work of every process between two cpu_all files, the loader's too when given
cpu_table() { # BEFORE AFTER UNITS WALL-SECONDS [LOADER-SECONDS]
  awk -v n="$3" -v wall="$4" -v loader="${5:-}" '
    FNR == NR { before[$1] = $2; next }
    { used = $2 - before[$1]; total += used; printf "  %-12s %6.2f s\n", $1, used * 1000 / n }
    END { if (loader != "") { total += loader; printf "  %-12s %6.2f s\n", "loader", loader * 1000 / n }
          printf "  %-12s %6.2f s (%.2f cores over %.1f s)\n", "all", total * 1000 / n, total / wall, wall }' "$1" "$2"
}

$reads_only || resources=$(cat "$data"/fhir/*.json | grep -o '"request"' | wc -l)
ingest() { # LOADER-THREADS (empty: the loader's default)
  local threads=$1 load0 load1 t0 t1 t2 target c0 d0
  echo "== ingest: $resources resources ($patients Synthea patients) through node 1, loader threads ${threads:-default}"
  c0=$(cpu 1); d0=$(cpu 2)
  cpu_all > "$FHIRBOLT_CLUSTER_DIR/cpu-before-ingest"
  read -r load0 < /proc/loadavg
  t0=$(date +%s.%N)
  # the loader's CPU: bash's `time` counts the JVM it waits for (user + system)
  TIMEFORMAT='%U %S'
  local loaded=$resources
  { time ./fhirbolt load --server "${urls[0]}" ${threads:+--threads "$threads"} "$data/fhir" \
      > "$FHIRBOLT_CLUSTER_DIR/load.log" 2>&1; } 2> "$FHIRBOLT_CLUSTER_DIR/load.cpu" || {
    # on a busy machine a bundle may time out (a 503): count what was loaded and go on
    loaded=$(sed -n 's/^loaded \([0-9,]*\) resources.*/\1/p' "$FHIRBOLT_CLUSTER_DIR/load.log" | tr -d ,)
    echo "the load failed in part ($loaded of $resources resources loaded):"
    grep -A5 'errors:$' "$FHIRBOLT_CLUSTER_DIR/load.log" | cut -c1-200
    [ -n "$loaded" ] && [ "$loaded" -gt 0 ] || exit 1
  }
  t1=$(date +%s.%N)
  cpu_all > "$FHIRBOLT_CLUSTER_DIR/cpu-after-ingest"
  read -r load1 < /proc/loadavg
  target=$(applied "${urls[0]}")
  until [ "$(applied "${urls[1]}")" = "$target" ]; do sleep 0.1; done
  t2=$(date +%s.%N)
  awk -v n="$loaded" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    printf "ingest %.0f resources/s (%.1f s); node 2 caught up %.2f s after the load ended\n", n / (b - a), b - a, c - b }'
  awk -v n="$loaded" -v a="$c0" -v b="$(cpu 1)" -v c="$d0" -v d="$(cpu 2)" 'BEGIN {
    printf "CPU per 1,000 resources: node 1 (plans and applies) %.2f s, node 2 (applies) %.2f s\n",
      (b - a) * 1000 / n, (d - c) * 1000 / n }'
  echo "CPU seconds per 1,000 resources ingested, every process (load average ${load0%% *}, ${load1%% *} after):"
  cpu_table "$FHIRBOLT_CLUSTER_DIR/cpu-before-ingest" "$FHIRBOLT_CLUSTER_DIR/cpu-after-ingest" "$loaded" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$(awk '{ print $1 + $2 }' "$FHIRBOLT_CLUSTER_DIR/load.cpu")"
}
# the loader's class-data archive (written by the first load after a build) before its CPU is measured
. bin/server-java-opts.sh
$reads_only || fhirbolt_prime_load_server_class_archive "$root/app/target/fhirbolt.jar" "${urls[0]}"
# what every process uses doing nothing (heartbeats, the nodes' log polls, Cassandra's background tasks): on a slow,
# shared machine the ingest takes longer and this part of its CPU grows with the wall clock, not with the work
echo "== idle: CPU seconds per second of every process, 10 s without requests"
cpu_all > "$FHIRBOLT_CLUSTER_DIR/cpu-idle-0"; sleep 10; cpu_all > "$FHIRBOLT_CLUSTER_DIR/cpu-idle-1"
awk 'FNR == NR { before[$1] = $2; next } { used = ($2 - before[$1]) / 10; total += used; printf "  %-12s %5.3f\n", $1, used }
  END { printf "  %-12s %5.3f cores\n", "all", total }' "$FHIRBOLT_CLUSTER_DIR/cpu-idle-0" "$FHIRBOLT_CLUSTER_DIR/cpu-idle-1"
if ! $reads_only; then # the ingest, the replay, the cold/warm pass and the creates
IFS=, read -r -a rounds <<< "${load_threads:-}"
[ ${#rounds[@]} -gt 0 ] || rounds=("")
ingest "${rounds[0]}"

echo "== a third node replays the log from empty"
t0=$(date +%s.%N)
bin/cluster start fhirbolt 3 >/dev/null
t1=$(date +%s.%N)
awk -v n="$resources" -v a="$t0" -v b="$t1" 'BEGIN {
  printf "node 3 ready after %.1f s (JVM start included): %.0f resources/s applied\n", b - a, n / (b - a) }'
bin/cluster stop fhirbolt 3
# further ingest rounds (--load-threads 4,8): the same bundles again (new patients; the shared organizations and
# practitioners match their conditional creates), on warmer JVMs than the first round
for threads in "${rounds[@]:1}"; do ingest "$threads"; done
$ingest_only && exit 0

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
fi
reads() { # NODE-INDEX MODE [bench/run.sh options]: reads by id at each concurrency of --clients
  local i=$1 mode=$2; shift 2
  echo "== reads through node $((i + 1)), $mode (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  local r0 r1 t0 t1
  cpu_all > "$FHIRBOLT_CLUSTER_DIR/cpu-before-reads"; r0=$(read_count "${urls[$i]}"); t0=$(date +%s.%N)
  bench/run.sh --server "${urls[$i]}" --scenarios read --clients "$clients" --read-ids 500 --warmup 5s \
    --duration "$duration" --results "$FHIRBOLT_CLUSTER_DIR/results-read-$i-$mode" "$@" | grep '^read x'
  cpu_all > "$FHIRBOLT_CLUSTER_DIR/cpu-after-reads"; r1=$(read_count "${urls[$i]}"); t1=$(date +%s.%N)
  echo "CPU seconds per 1,000 reads ($((r1 - r0)) reads, warm-ups included, and 500 creates to read):"
  cpu_table "$FHIRBOLT_CLUSTER_DIR/cpu-before-reads" "$FHIRBOLT_CLUSTER_DIR/cpu-after-reads" "$((r1 - r0))" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" | grep -v cassandra
}
# reads by id a node has answered so far (its /metrics)
read_count() {
  curl -fs "$1/metrics" | awk '/^fhirbolt_http_requests_seconds_count\{interaction="read"/ { n += $2 }
    END { printf "%d", n }'
}
for i in 0 1; do
  reads "$i" strong
  # a client carrying the position of its last write (any write's response): this node has applied it already
  # (the usual case), so the read waits for nothing and asks the log nothing
  reads "$i" position --read-header "X-Fhirbolt-Position: $(applied "${urls[0]}")"
done
for i in 1 2; do bin/cluster stop fhirbolt "$i"; done
for i in 1 2; do FHIRBOLT_READ_CONSISTENCY=eventual bin/cluster start fhirbolt "$i" >/dev/null; done
for i in 0 1; do reads "$i" eventual; done
