#!/usr/bin/env bash
# Starts the release archive's compose-cluster.yaml for real and checks it the way a user would (docs/distributed.md
# "Docker Compose"): builds the archive (or takes one), unpacks it into an empty directory and, there,
#  1. builds the Fhirbolt image and `up -d`s all 8 containers: each becomes healthy, in the order depends_on gives
#     (Cassandra 1, 2, 3 one after another; Fhirbolt 1 only after every engine; Fhirbolt 2 only after Fhirbolt 1); the
#     Cassandra ring has 3 nodes up, the log topic replication factor 3 and min.insync.replicas 2;
#  2. a Patient written through fhirbolt-1 reads back through fhirbolt-2 with the same version and ETag, and a search on
#     fhirbolt-2 finds it (tokens from the archive's own launcher on this host);
#  3. `stop fhirbolt-2` (exit by SIGTERM), an update and a new Patient through fhirbolt-1, `start fhirbolt-2`: node 2
#     has both;
#  4. `down` (the named volumes stay) and `up -d` again: healthy, everything still there, writes through node 2 too;
#  5. `stop kafka-3 cassandra-3`: writes through both nodes still succeed (one more a Binary larger than a log record,
#     so it goes through Cassandra), then both start again and the broker rejoins the topic's in-sync replicas;
#  6. `down -v`: containers and volumes gone.
#   scripts/docker-cluster-smoke.sh [ARCHIVE]
# Opt-in and heavy (8 JVMs; CI has no Docker daemon and never runs it): exits 2 when no Docker daemon answers.
# Everything it makes is named fhirbolt-csmoke-PID (project, volumes, image) and removed at the end; the nodes are
# published on free ports of 127.0.0.1. Its own override file gives every container cpu_shares 256 and smaller heaps
# (the shipped file is unchanged); shares weigh the containers only against each other, so on a shared host start the
# daemon niced (`nice -n 10 dockerd ...`: the containers inherit it). Environment:
#   FHIRBOLT_DOCKER_STANDINS=1   build and use the stand-in images (scripts/docker-standin-base.sh and
#                                docker-standin-engines.sh) for a machine without Docker Hub; otherwise:
#   FHIRBOLT_DOCKER_BASE_IMAGE   the Fhirbolt image's base (build argument BASE_IMAGE; default the Dockerfile's)
#   FHIRBOLT_KAFKA_IMAGE, FHIRBOLT_CASSANDRA_IMAGE   the engine images (default the file's: the official ones)
#   FHIRBOLT_DOCKER_COMPOSE      the compose command (default `docker compose` when it answers, else docker-compose)
#   FHIRBOLT_SMOKE_KAFKA_HEAP (256m), FHIRBOLT_SMOKE_CASSANDRA_HEAP (512M): heaps in the override; `file` keeps the
#                                file's own (512m, 1G)
#   FHIRBOLT_SMOKE_UP_SECONDS    how long all containers may take to become healthy (default 1200)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/bin/java-home.sh" >/dev/null
docker info >/dev/null 2>&1 || {
  echo "docker-cluster-smoke: no Docker daemon answers (docker info); this opt-in check needs one" >&2; exit 2; }
say() { echo "docker-cluster-smoke: $*"; }
if [ "${FHIRBOLT_DOCKER_STANDINS:-}" = 1 ]; then
  base=fhirbolt-standin/temurin:bookworm
  docker image inspect "$base" >/dev/null 2>&1 || "$here/scripts/docker-standin-base.sh" "$base" >/dev/null
  mapfile -t engines < <(FHIRBOLT_STANDIN_BASE=$base "$here/scripts/docker-standin-engines.sh" 2>/dev/null)
  export FHIRBOLT_KAFKA_IMAGE=${engines[0]} FHIRBOLT_CASSANDRA_IMAGE=${engines[1]}
else
  base=${FHIRBOLT_DOCKER_BASE_IMAGE:-}
fi
archive=${1:-}
if [ -z "$archive" ]; then
  (cd "$here" && nice -n 5 ./mvnw -B -q -ntp -Prelease -DskipTests package -pl app -am)
  archive=$(ls -t "$here"/app/target/fhirbolt-*-release.tar.gz | head -1)
fi
[ -f "$archive" ] || { echo "docker-cluster-smoke: no archive at $archive" >&2; exit 1; }
case "${FHIRBOLT_DOCKER_COMPOSE:-}" in
  '') if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi ;;
  *) read -r -a compose <<<"$FHIRBOLT_DOCKER_COMPOSE" ;;
esac

id=fhirbolt-csmoke-$$
work=$(mktemp -d /tmp/$id.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port1=$(free_port); port2=$(free_port)
export FHIRBOLT_ADMIN_PASSWORD=smoke-$RANDOM$RANDOM FHIRBOLT_IMAGE=$id:latest FHIRBOLT_VOLUME_PREFIX=$id \
  FHIRBOLT_PUBLISH_1=127.0.0.1:$port1 FHIRBOLT_PUBLISH_2=127.0.0.1:$port2 FHIRBOLT_BASE_URL=http://127.0.0.1:$port1
node1=http://127.0.0.1:$port1 node2=http://127.0.0.1:$port2
services=(kafka-1 kafka-2 kafka-3 cassandra-1 cassandra-2 cassandra-3 fhirbolt-1 fhirbolt-2)
c() { (cd "$dir" && "${compose[@]}" -p "$id" -f compose-cluster.yaml -f "$work/override.yaml" "$@"); }
cleanup() {
  [ -n "${dir:-}" ] && c down -v >/dev/null 2>&1 || true
  docker rmi -f "$FHIRBOLT_IMAGE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "docker-cluster-smoke: FAIL: $*" >&2
  [ -n "${current:-}" ] && c logs --tail 30 "$current" >&2 2>&1
  exit 1
}

docker volume ls -q | sort > "$work/volumes-before"
tar -xzf "$archive" -C "$work"
dir=$(ls -d "$work"/fhirbolt-*)
kafka_heap=${FHIRBOLT_SMOKE_KAFKA_HEAP:-256m} cassandra_heap=${FHIRBOLT_SMOKE_CASSANDRA_HEAP:-512M}
{
  echo "services:"
  for s in "${services[@]}"; do
    printf '  %s:\n    cpu_shares: 256\n' "$s"
    case "$s" in
      kafka-*) [ "$kafka_heap" = file ] || printf '    environment: {KAFKA_HEAP_OPTS: "-Xmx%s -Xms%s"}\n' "$kafka_heap" "$kafka_heap" ;;
      cassandra-*) [ "$cassandra_heap" = file ] || printf '    environment: {MAX_HEAP_SIZE: "%s", HEAP_NEWSIZE: "100M"}\n' "$cassandra_heap" ;;
    esac
  done
} > "$work/override.yaml"
say "archive $(basename "$archive"); ${compose[*]} ($("${compose[@]}" version 2>/dev/null | head -1)); images:" \
  "${FHIRBOLT_KAFKA_IMAGE:-apache/kafka:4.1.1}, ${FHIRBOLT_CASSANDRA_IMAGE:-cassandra:5.0}, Fhirbolt on ${base:-the Dockerfile default}"
say "heaps: Kafka $kafka_heap, Cassandra $cassandra_heap; cpu_shares 256 each; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. up, healthy, in order
build_args=()
[ -n "$base" ] && build_args=(--build-arg "BASE_IMAGE=$base")
c build "${build_args[@]}" >"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; fail "compose build"; }
epoch() { date -d "$1" +%s.%N; }
declare -A seen_unhealthy healthy_at
# Waits until every service's container runs healthy; remembers for each when it was last seen not healthy and when
# first seen healthy (polled every 2 s), and checks that no container started before the services it depends on were
# healthy (docker's StartedAt against the last time the dependency was seen not healthy).
wait_all_healthy() { # label: `up -d` has been started in the background (pid $up_pid) at $up_started
  local t0=$up_started s cid state done_count up_done=
  seen_unhealthy=() healthy_at=()
  while :; do
    done_count=0
    for s in "${services[@]}"; do
      [ -n "${healthy_at[$s]:-}" ] && { done_count=$((done_count + 1)); continue; }
      cid=$(c ps -a -q "$s" 2>/dev/null || true)
      state=missing
      [ -n "$cid" ] && state=$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$cid")
      case "$state" in
        "running healthy") healthy_at[$s]=$((SECONDS - t0)); done_count=$((done_count + 1)) ;;
        *unhealthy) current=$s; fail "$s is unhealthy" ;;
        exited*|dead*) current=$s; fail "$s ended: $state" ;;
        *) seen_unhealthy[$s]=$(date +%s.%N) ;;
      esac
    done
    if [ -z "$up_done" ] && ! kill -0 "$up_pid" 2>/dev/null; then
      wait "$up_pid" || { cat "$work/up.log" >&2; fail "compose up -d"; }
      up_done=1
    fi
    [ "$done_count" -lt ${#services[@]} ] || break
    [ $((SECONDS - t0)) -lt "${FHIRBOLT_SMOKE_UP_SECONDS:-1200}" ] || fail "not all healthy after $((SECONDS - t0)) s"
    sleep 2
  done
  [ -n "$up_done" ] || wait "$up_pid" || { cat "$work/up.log" >&2; fail "compose up -d"; }
  local order=""
  for s in "${services[@]}"; do order+="$s ${healthy_at[$s]} s, "; done
  say "$1: all 8 healthy $((SECONDS - t0)) s after up -d (first seen healthy: ${order%, })"
  started_after() { # service dependency...
    local started dep; started=$(epoch "$(docker inspect -f '{{.State.StartedAt}}' "$(c ps -q "$1")")")
    shift
    for dep in "$@"; do
      [ -z "${seen_unhealthy[$dep]:-}" ] && continue
      python3 -c "import sys; sys.exit(0 if $started > ${seen_unhealthy[$dep]} else 1)" \
        || fail "$1 started before $dep was healthy"
    done
  }
  started_after cassandra-2 cassandra-1
  started_after cassandra-3 cassandra-2
  started_after fhirbolt-1 kafka-1 kafka-2 kafka-3 cassandra-3
  started_after fhirbolt-2 kafka-1 kafka-2 kafka-3 cassandra-3 fhirbolt-1
}
# up -d itself waits for the depends_on conditions: it runs in the background while the containers are watched
up_started=$SECONDS
c up -d >"$work/up.log" 2>&1 &
up_pid=$!
wait_all_healthy "up"
say "order: cassandra-2 started after cassandra-1 was healthy, cassandra-3 after 2, fhirbolt-1 after every engine, fhirbolt-2 after fhirbolt-1 (docker's StartedAt against the last time each dependency was seen not healthy)"
ring=$(c exec -T cassandra-1 nodetool status 2>/dev/null | grep -c '^UN' || true)
[ "$ring" = 3 ] || fail "nodetool status shows $ring nodes up and normal, not 3"
topic=$(c exec -T kafka-1 /opt/kafka/bin/kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic fhirbolt-tx 2>/dev/null)
grep -q 'ReplicationFactor: 3' <<<"$topic" && grep -q 'min.insync.replicas=2' <<<"$topic" \
  || fail "topic fhirbolt-tx is not replication factor 3, min.insync.replicas 2: $topic"
say "Cassandra ring: 3 nodes UN; topic fhirbolt-tx: replication factor 3, min.insync.replicas=2"

# 2. write through node 1, read and search through node 2
cli() { FHIRBOLT_JAVA_OPTS="-Xmx256m -XX:TieredStopAtLevel=1" nice -n 5 "$dir/bin/fhirbolt" "$@"; }
cli client add --server "$node1" --id smoke --scope 'system/*.cruds' --key-file "$work/smoke.json" >/dev/null \
  || fail "fhirbolt client add"
token() { cli token --key-file "$work/smoke.json" 2>/dev/null; }
# A 503 is the server's answer for a transient failure (on a loaded 2-core host: a Cassandra write over its 5 s
# timeout): retried twice after 5 s, as a client would, and counted in $work/retries (reported at the end).
http() { # expected-status method url [curl args...]: prints the body; headers in $work/headers
  local want=$1 method=$2 url=$3 code try; shift 3
  for try in 1 2 3; do
    code=$(curl -s -D "$work/headers" -o "$work/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" \
      -H 'Accept: application/fhir+json' "$@" "$url") || true
    [ "$code" = 503 ] && [ "$want" != 503 ] && [ $try -lt 3 ] || break
    echo "$method $url: $(head -c 200 "$work/body")" >> "$work/retries"
    sleep 5
  done
  [ "$code" = "$want" ] || fail "$method $url answered $code, not $want: $(head -c 300 "$work/body")"
  cat "$work/body"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
etag() { tr -d '\r' < "$work/headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'; }
post() { # url family: prints the new id
  http 201 POST "$1/Patient" -H 'Content-Type: application/fhir+json' \
    -d "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"$2\"}]}" >/dev/null
  json 'd["id"]' < "$work/body"
}
family=Csmoke$$
TOKEN=$(token)
p1=$(post "$node1" "$family")
tag1=$(etag)
read2=$(http 200 GET "$node2/Patient/$p1")
[ "$(json 'd["meta"]["versionId"]' <<<"$read2")" = 1 ] && [ "$(etag)" = "$tag1" ] \
  || fail "node 2 read Patient/$p1 as version $(json 'd["meta"]["versionId"]' <<<"$read2") $(etag), node 1 wrote 1 $tag1"
found=$(http 200 GET "$node2/Patient?family=$family" | json '",".join(e["resource"]["id"] for e in d.get("entry",[]))')
[ "$found" = "$p1" ] || fail "search on node 2 for family=$family found '$found', not $p1"
say "Patient/$p1 written through fhirbolt-1 (ETag $tag1), read through fhirbolt-2 with the same version and ETag; search on fhirbolt-2 finds it"

# 3. node 2 stopped, writes through node 1, node 2 back
stop_clean() { # service: stop must end it by SIGTERM (exit 143 or 0), within its grace period
  local t0 cid code
  cid=$(c ps -q "$1")
  t0=$(date +%s%N)
  c stop "$1" >/dev/null 2>&1
  code=$(docker inspect -f '{{.State.ExitCode}}' "$cid")
  [ "$code" = 143 ] || [ "$code" = 0 ] || { current=$1; fail "$1 ended with exit code $code on stop (137: SIGKILL)"; }
  echo "$1 exit $code after $((($(date +%s%N) - t0) / 1000000)) ms"
}
stopped=$(stop_clean fhirbolt-2)
say "stop: $stopped"
TOKEN=$(token)
http 200 PUT "$node1/Patient/$p1" -H 'Content-Type: application/fhir+json' \
  -d "{\"resourceType\":\"Patient\",\"id\":\"$p1\",\"name\":[{\"family\":\"$family\"}],\"birthDate\":\"1970-01-01\"}" >/dev/null
p2=$(post "$node1" "$family")
c start fhirbolt-2 >/dev/null 2>&1 || fail "compose start fhirbolt-2"
t0=$SECONDS
current=fhirbolt-2
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$(c ps -q fhirbolt-2)")" = healthy ]; do
  [ $((SECONDS - t0)) -lt 300 ] || fail "fhirbolt-2 not healthy again after 300 s"
  sleep 2
done
current=
TOKEN=$(token)
[ "$(http 200 GET "$node2/Patient/$p1" | json 'd["meta"]["versionId"]')" = 2 ] || fail "node 2 did not catch up the update of $p1"
http 200 GET "$node2/Patient/$p2" >/dev/null
found=$(http 200 GET "$node2/Patient?family=$family" | json 'len(d.get("entry",[]))')
[ "$found" = 2 ] || fail "search on node 2 after its restart found $found, not 2"
say "fhirbolt-2 healthy again after $((SECONDS - t0)) s; it has the update of Patient/$p1 (version 2) and Patient/$p2, written while it was stopped"

# 4. down (volumes stay), up again
t0=$SECONDS
c down >"$work/down.log" 2>&1 || { cat "$work/down.log" >&2; fail "compose down"; }
vols=$(docker volume ls -q --filter "name=$id-" | wc -l)
[ "$vols" = 8 ] || fail "after down, $vols of the 8 volumes are left"
say "down in $((SECONDS - t0)) s; the 8 volumes $id-* stay"
up_started=$SECONDS
c up -d >>"$work/up.log" 2>&1 &
up_pid=$!
wait_all_healthy "up again"
TOKEN=$(token)
[ "$(http 200 GET "$node2/Patient/$p1" | json 'd["meta"]["versionId"]')" = 2 ] || fail "Patient/$p1 lost its update after down/up"
http 200 GET "$node1/Patient/$p2" >/dev/null
p3=$(post "$node2" "$family")
http 200 GET "$node1/Patient/$p3" >/dev/null
say "after down and up: Patient/$p1 (version 2) and $p2 still there; Patient/$p3 written through fhirbolt-2, read through fhirbolt-1"

# 5. one broker and one Cassandra node down
stopped=$(stop_clean kafka-3)
stopped+="; $(stop_clean cassandra-3)"
say "stop: $stopped"
TOKEN=$(token)
p4=$(post "$node1" "$family")
p5=$(post "$node2" "$family")
python3 -c "import base64,json; print(json.dumps({'resourceType':'Binary','contentType':'application/octet-stream','data':base64.b64encode(bytes(range(256))*6000).decode()}))" > "$work/binary.json"
b1=$(http 201 POST "$node1/Binary" -H 'Content-Type: application/fhir+json' --data-binary @"$work/binary.json" | json 'd["id"]')
[ "$(http 200 GET "$node2/Binary/$b1" | json 'len(d["data"])')" = "$(json 'len(d["data"])' < "$work/binary.json")" ] \
  || fail "Binary/$b1 read through node 2 differs"
http 200 GET "$node2/Patient/$p4" >/dev/null
http 200 GET "$node1/Patient/$p5" >/dev/null
say "with kafka-3 and cassandra-3 stopped: Patient/$p4 through fhirbolt-1, $p5 through fhirbolt-2, a $(( $(wc -c < "$work/binary.json") / 1024 )) KiB Binary (over a log record: its contents go through Cassandra) written and read across nodes"
c start kafka-3 cassandra-3 >/dev/null 2>&1 || fail "compose start kafka-3 cassandra-3"
t0=$SECONDS
for s in kafka-3 cassandra-3; do
  current=$s
  until [ "$(docker inspect -f '{{.State.Health.Status}}' "$(c ps -q "$s")")" = healthy ]; do
    [ $((SECONDS - t0)) -lt 600 ] || fail "$s not healthy again after 600 s"
    sleep 2
  done
done
until c exec -T kafka-1 /opt/kafka/bin/kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic fhirbolt-tx \
    2>/dev/null | grep -Eq 'Isr: ([0-9],){2}[0-9]'; do
  [ $((SECONDS - t0)) -lt 600 ] || fail "kafka-3 did not rejoin the in-sync replicas of fhirbolt-tx"
  sleep 3
done
current=
say "kafka-3 and cassandra-3 healthy again after $((SECONDS - t0)) s; fhirbolt-tx has 3 in-sync replicas again"

# 6. down -v
t0=$SECONDS
c down -v >>"$work/down.log" 2>&1 || fail "compose down -v"
vols=$(docker volume ls -q --filter "name=$id-" | wc -l)
[ "$vols" = 0 ] || fail "after down -v, $vols volumes are left"
left=$(docker volume ls -q | sort | comm -13 "$work/volumes-before" -)
[ -z "$left" ] || fail "volumes made during the run are left (anonymous ones, from a VOLUME of an image):" $left
say "down -v in $((SECONDS - t0)) s: containers and volumes removed"
if [ -s "$work/retries" ]; then
  say "$(wc -l < "$work/retries") transient 503 answer(s) retried:"; sed 's/^/  /' "$work/retries"
fi
say "OK"
