#!/usr/bin/env bash
# The cluster fault test: starts a 3 Kafka + 3 Cassandra + 2 Fhirbolt cluster with bin/cluster (development mode,
# its own directory and ports), runs a steady mixed load through both Fhirbolt nodes while one broker, one Cassandra
# node and one Fhirbolt node are killed with -9 and restarted in turn, checks that every acknowledged write is on
# both nodes with contiguous versions and that both nodes answer alike, prints the figures and stops the cluster.
#
#   bench/cluster-faults.sh                 30 s per phase (7 phases: about 15 minutes with the start-up)
#   bench/cluster-faults.sh --phase 60      longer phases
#   bench/cluster-faults.sh --keep          leave the cluster running afterwards (bin/cluster down stops it)
#
# Exit status 0 when nothing acknowledged was lost. See docs/distributed.md, "Faults".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
phase=30
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --phase) phase=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
export FHIRBOLT_CLUSTER_DIR="${FHIRBOLT_CLUSTER_DIR:-$root/bench/target/fault-cluster}"
export FHIRBOLT_CLUSTER_PORT_BASE="${FHIRBOLT_CLUSTER_PORT_BASE:-26000}"
export FHIRBOLT_SECURITY=off FHIRBOLT_AUDIT=off
./mvnw -q -B -ntp -pl app,bench -am package -DskipTests >&2
bin/cluster down >/dev/null 2>&1 || true
$keep || trap 'bin/cluster down >/dev/null 2>&1 || true' EXIT
started=$SECONDS
mapfile -t urls < <(bin/cluster up --kafka 3 --cassandra 3 --fhirbolt 2)
echo "cluster up in $((SECONDS - started)) s: ${urls[*]}"
"$JAVA_HOME/bin/java" -Xmx256m -cp bench/target/fhirbolt-bench.jar dev.fhirbolt.bench.cluster.ClusterFaultTest \
  "$root" "${urls[0]}" "${urls[1]}" "$phase"
