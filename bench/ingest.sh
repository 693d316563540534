#!/usr/bin/env bash
# Fhirbolt ingest benchmark: loads a Synthea data set over HTTP (a server it starts) and offline (fhirbolt load
# --data-dir), each into an empty data dir, and reports resources/s, per-file latency and RSS as the data grows.
#
#   bench/ingest.sh                          100 Synthea patients, seed 7 (generated once into bench/target/)
#   bench/ingest.sh --patients 20 --seed 3   another set (generated once, kept)
#   bench/ingest.sh --data DIR               a Synthea output dir you have (DIR or DIR/fhir holds the bundles)
#   bench/ingest.sh --modes http --clients 4 only over HTTP, 4 patient bundles in flight
#   bench/ingest.sh --server-jar OTHER.jar   another build (e.g. to compare with main), not rebuilt
#   bench/ingest.sh --warmup-patients 0      no warm-up: time the load on a fresh server, JIT compilation included
#   bench/ingest.sh --help                   every option of the ingest benchmark
#
# Before the timed HTTP load, the server is warmed up with another, smaller Synthea set (10 patients, seed 3 unless
# --warmup-patients/--warmup-seed say otherwise), loaded into the same server untimed; the report says so.
# Data dirs go under bench/target/ (the project's disk, not a tmpfs where fsync is free) and are deleted afterwards.
# Reports: bench/results/ingest-latest.md, a time-stamped copy, and the per-file CSV. See docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
. bin/server-java-opts.sh

server_jar_arg=""
jvm_args_given=false
loader_args_given=false
patients=100
seed=7
data=""
warmup=""
warmup_patients=10
warmup_seed=3
help=false
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --server-jar) server_jar_arg=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --warmup-patients) warmup_patients=$2; shift 2 ;;
    --warmup-seed) warmup_seed=$2; shift 2 ;;
    --server-jvm-args) jvm_args_given=true; args+=("$1" "$2"); shift 2 ;;
    --loader-jvm-args) loader_args_given=true; args+=("$1" "$2"); shift 2 ;;
    -h|--help) help=true; args+=("$1"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done

. bench/jars.sh
server_jar=$fhirbolt_server_jar
bench_jar=$fhirbolt_bench_jar
[ -n "$server_jar_arg" ] || fhirbolt_build_server_jar
fhirbolt_build_bench_jar

if [ -z "$data" ] && ! $help; then
  data=bench/target/synthea-$patients-s$seed
  if [ ! -d "$data/fhir" ]; then
    echo "generating $patients Synthea patients with seed $seed into $data (once)..." >&2
    scripts/synthea.sh "$data" "$patients" "$seed" >&2
  fi
fi

if [ -z "$warmup" ] && [ "$warmup_patients" -gt 0 ] && ! $help; then
  warmup=bench/target/synthea-$warmup_patients-s$warmup_seed
  if [ ! -d "$warmup/fhir" ]; then
    echo "generating $warmup_patients Synthea patients with seed $warmup_seed into $warmup for the warm-up (once)..." >&2
    scripts/synthea.sh "$warmup" "$warmup_patients" "$warmup_seed" >&2
  fi
fi
[ -n "$warmup" ] && args+=(--warmup "$warmup")
# the server runs with the JVM options ./fhirbolt uses (bin/server-java-opts.sh) unless --server-jvm-args says otherwise
if ! $jvm_args_given && ! $help; then
  args+=(--server-jvm-args "$FHIRBOLT_JAVA_OPTS")
  fhirbolt_prime_class_archive "${server_jar_arg:-$server_jar}"
fi
# and the offline loader with those of ./fhirbolt load (FHIRBOLT_LOAD_JAVA_OPTS), its class-data archive written first
if ! $loader_args_given && ! $help; then
  args+=(--loader-jvm-args "$FHIRBOLT_LOAD_JAVA_OPTS")
  fhirbolt_prime_load_class_archive "${server_jar_arg:-$server_jar}"
fi
if $help; then
  cat <<'USAGE'
bench/ingest.sh [--patients N] [--seed S] [--warmup-patients N] [--warmup-seed S] [options below]
      --patients, --seed     the Synthea set to load (default 100 patients, seed 7; generated once into bench/target/)
      --warmup-patients, --warmup-seed
                             the smaller set loaded untimed first (default 10 patients, seed 3; 0: no warm-up)

USAGE
fi

# the benchmark measures ingest, not authorization: the server it starts runs in development mode
export FHIRBOLT_SECURITY=off
mkdir -p bench/target
work=$(mktemp -d "$root/bench/target/ingest.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -cp "$bench_jar" dev.fhirbolt.bench.IngestBench \
  --data "${data:-none}" --server-jar "${server_jar_arg:-$server_jar}" --java "$JAVA_HOME/bin/java" --work "$work" "${args[@]}"
