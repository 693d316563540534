#!/usr/bin/env bash
# Checks the release archive's Docker recipe the way a user with Docker would (docs/operations.md "Docker smoke
# test"): builds the archive (or takes one), unpacks it into an empty directory and, there,
#  1. `docker build`s its Dockerfile, runs the image on a named volume and checks: the health check turns healthy,
#     the server runs as user fhirbolt (not root) as PID 1, /metadata answers 200 with the version, /metrics refuses
#     without the admin password and answers with it, a backend client registered and a token fetched with the
#     image's own `fhirbolt client add` / `fhirbolt token` (docker exec) write a Patient, `docker stop` ends the
#     server by SIGTERM within seconds (exit 143, never SIGKILL's 137), and the Patient is still there after
#     `docker start` and in a new container on the same volume;
#  2. runs compose.yaml (`docker compose`, or Compose v1's docker-compose): build, up, healthy, a write through a
#     token from the archive's launcher on this host, down and up again, the write still there, down -v.
#   scripts/docker-smoke.sh [ARCHIVE]
# Opt-in: needs a Docker daemon (CI has none and never runs this). Everything it makes is named fhirbolt-smoke-PID
# and removed at the end; ports are free ones on 127.0.0.1. Environment:
#   FHIRBOLT_DOCKER_BASE_IMAGE   the base image (build argument BASE_IMAGE); default the Dockerfile's own,
#                                eclipse-temurin:21-jre-noble. Without Docker Hub: scripts/docker-standin-base.sh
#   FHIRBOLT_DOCKER_COMPOSE      the compose command; default `docker compose` when it answers, else docker-compose;
#                                `none` skips part 2
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/bin/java-home.sh"
docker info >/dev/null 2>&1 || { echo "docker-smoke: no Docker daemon answers (docker info)" >&2; exit 2; }
base=${FHIRBOLT_DOCKER_BASE_IMAGE:-}
archive=${1:-}
if [ -z "$archive" ]; then
  (cd "$here" && nice -n 5 ./mvnw -B -q -ntp -Prelease -DskipTests package -pl app -am)
  archive=$(ls -t "$here"/app/target/fhirbolt-*-release.tar.gz | head -1)
fi
[ -f "$archive" ] || { echo "docker-smoke: no archive at $archive" >&2; exit 1; }

id=fhirbolt-smoke-$$
tag=$id:latest
pw=smoke-$RANDOM$RANDOM
work=$(mktemp -d /tmp/$id.XXXXXX)
compose=()
cleanup() {
  docker rm -f "$id" "$id-2" >/dev/null 2>&1 || true
  if [ ${#compose[@]} -gt 0 ] && [ -n "${dir:-}" ]; then
    (cd "$dir" && "${compose[@]}" -p "$id" down -v >/dev/null 2>&1) || true
  fi
  docker volume rm -f "$id" "$id-compose" >/dev/null 2>&1 || true
  docker rmi -f "$tag" "$id-compose:latest" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "docker-smoke: $*"; }
fail() {
  echo "docker-smoke: FAIL: $*" >&2
  [ -n "${current:-}" ] && docker logs --tail 30 "$current" >&2 2>&1
  exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_healthy() { # container; the image's HEALTHCHECK decides
  local state
  for _ in $(seq 1 120); do
    state=$(docker inspect -f '{{.State.Status}} {{.State.Health.Status}}' "$1")
    case "$state" in
      "running healthy") return 0 ;;
      *unhealthy) fail "$1 is unhealthy" ;;
      exited*|dead*) fail "$1 ended: $state" ;;
    esac
    sleep 2
  done
  fail "$1 not healthy after 240 s ($state)"
}
http() { # expected-status method url [curl args...]: prints the body
  local want=$1 method=$2 url=$3; shift 3
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' -X "$method" "$@" "$url") || true
  [ "$code" = "$want" ] || fail "$method $url answered $code, not $want: $(head -c 300 "$work/body")"
  cat "$work/body"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
stop_clean() { # container: docker stop must end the JVM by SIGTERM well within the stop timeout
  local t0 t1 code
  t0=$(date +%s%N)
  docker stop "$1" >/dev/null
  t1=$(date +%s%N)
  code=$(docker inspect -f '{{.State.ExitCode}}' "$1")
  [ "$code" = 143 ] || [ "$code" = 0 ] || fail "$1 ended with exit code $code after docker stop (137: SIGKILL)"
  docker logs "$1" 2>&1 | tail -5 | grep -q "stopped in" || fail "$1: no clean stop in the log"
  say "docker stop: exit $code after $(( (t1 - t0) / 1000000 )) ms, log: $(docker logs "$1" 2>&1 | grep 'stopped in' | tail -1 | sed 's/.* - //')"
}

tar -xzf "$archive" -C "$work"
dir=$(ls -d "$work"/fhirbolt-*)
version=$(basename "$dir"); version=${version#fhirbolt-}
say "archive $(basename "$archive"), version $version, base image ${base:-the Dockerfile default}"

# 1. docker build and docker run
build_args=()
[ -n "$base" ] && build_args=(--build-arg "BASE_IMAGE=$base")
docker build -q "${build_args[@]}" -t "$tag" "$dir" >/dev/null || fail "docker build"
size=$(docker image inspect -f '{{.Size}}' "$tag")
say "built $tag, $((size / 1000000)) MB"
shown=$(docker run --rm "$tag" --version); shown=${shown%%$'\n'*}
[ "$shown" = "Fhirbolt $version" ] || fail "--version says '$shown'"
port=$(free_port)
docker volume create "$id" >/dev/null
run() { # container name: the same settings each time, on the same volume
  # the same port inside and out, so that the base URL (the tokens' audience) also works from within the container
  docker run -d --name "$1" -p "127.0.0.1:$port:$port" --stop-timeout 60 -e FHIRBOLT_PORT="$port" \
    -e FHIRBOLT_BASE_URL="http://127.0.0.1:$port" -e FHIRBOLT_ADMIN_PASSWORD="$pw" -v "$id:/var/lib/fhirbolt" \
    "$tag" >/dev/null
}
current=$id
run "$id"
wait_healthy "$id"
say "healthy: $(docker inspect -f '{{.State.Health.Status}}, {{len .State.Health.Log}} check(s)' "$id")"
[ "$(docker exec "$id" id -u)" != 0 ] || fail "the server runs as root"
[ "$(docker exec "$id" cat /proc/1/comm)" = java ] || fail "PID 1 is $(docker exec "$id" cat /proc/1/comm), not java"
say "runs as $(docker exec "$id" id -un) (uid $(docker exec "$id" id -u)), PID 1 is java"
cmdline=$(docker exec "$id" sh -c 'tr "\0" " " </proc/1/cmdline')
case "$cmdline" in
  *AutoCreateSharedArchive*) fail "the JVM would write a class-data archive at exit: $cmdline" ;;
  *SharedArchiveFile=/opt/fhirbolt/lib/fhirbolt.jsa*) ;;
  *) fail "the JVM does not map the image's class-data archive: $cmdline" ;;
esac
say "maps the image's class-data archive; $(docker logs "$id" 2>&1 | grep -o 'started in [0-9]* ms' | tail -1)"
base_url="http://127.0.0.1:$port"
shown=$(http 200 GET "$base_url/metadata" -H 'Accept: application/fhir+json' | json 'd["software"]["version"]')
[ "$shown" = "$version" ] || fail "/metadata shows version '$shown'"
say "/metadata: 200, software.version $shown"
http 401 GET "$base_url/metrics" >/dev/null
http 401 GET "$base_url/metrics" -u admin:wrong >/dev/null
http 200 GET "$base_url/metrics" -u "admin:$pw" | grep -c '^jvm_' >/dev/null || fail "/metrics has no jvm_ series"
say "/metrics: 401 without and with a wrong admin password, 200 with FHIRBOLT_ADMIN_PASSWORD"
docker exec "$id" fhirbolt client add --server "$base_url" --id smoke --scope 'system/*.cruds' >/dev/null \
  || fail "fhirbolt client add"
token=$(docker exec "$id" fhirbolt token --client smoke 2>/dev/null)
pid=$(http 201 POST "$base_url/Patient" -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' \
  -d '{"resourceType":"Patient","name":[{"family":"DockerSmoke"}]}' | json 'd["id"]')
say "wrote Patient/$pid with a token from docker exec ... fhirbolt token"
stop_clean "$id"
docker start "$id" >/dev/null
wait_healthy "$id"
token=$(docker exec "$id" fhirbolt token --client smoke 2>/dev/null)
http 200 GET "$base_url/Patient/$pid" -H "Authorization: Bearer $token" | grep -q DockerSmoke || fail "lost after restart"
say "docker start: Patient/$pid still there"
stop_clean "$id"
docker rm "$id" >/dev/null
current=$id-2
run "$id-2"
wait_healthy "$id-2"
token=$(docker exec "$id-2" fhirbolt token --client smoke 2>/dev/null)
http 200 GET "$base_url/Patient/$pid" -H "Authorization: Bearer $token" | grep -q DockerSmoke \
  || fail "lost in a new container on the same volume"
say "new container on volume $id: Patient/$pid still there"
stop_clean "$id-2"
docker rm "$id-2" >/dev/null
current=

# 2. compose.yaml
case "${FHIRBOLT_DOCKER_COMPOSE:-}" in
  none) say "OK (compose skipped)"; exit 0 ;;
  '') if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi ;;
  *) read -r -a compose <<<"$FHIRBOLT_DOCKER_COMPOSE" ;;
esac
say "compose: ${compose[*]} ($("${compose[@]}" version 2>/dev/null | head -1))"
cport=$(free_port)
export FHIRBOLT_ADMIN_PASSWORD=$pw FHIRBOLT_PUBLISH=127.0.0.1:$cport FHIRBOLT_BASE_URL=http://127.0.0.1:$cport \
  FHIRBOLT_IMAGE=$id-compose:latest FHIRBOLT_VOLUME=$id-compose
base_url=$FHIRBOLT_BASE_URL
cd "$dir"
"${compose[@]}" -p "$id" build "${build_args[@]}" >"$work/compose-build.log" 2>&1 \
  || { tail -20 "$work/compose-build.log" >&2; fail "compose build"; }
"${compose[@]}" -p "$id" up -d >"$work/compose.log" 2>&1 || { cat "$work/compose.log" >&2; fail "compose up"; }
current=$("${compose[@]}" -p "$id" ps -q fhirbolt)
wait_healthy "$current"
say "compose up: healthy"
# a user's own machine: the archive's launcher registers a client and fetches tokens over the published port
cli() { FHIRBOLT_JAVA_OPTS=-Xmx256m "$dir/bin/fhirbolt" "$@"; }
cli client add --server "$base_url" --id smoke --scope 'system/*.cruds' --key-file "$work/smoke.json" >/dev/null \
  || fail "fhirbolt client add from the host"
token=$(cli token --key-file "$work/smoke.json" 2>/dev/null)
pid=$(http 201 POST "$base_url/Patient" -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' \
  -d '{"resourceType":"Patient","name":[{"family":"ComposeSmoke"}]}' | json 'd["id"]')
"${compose[@]}" -p "$id" down >>"$work/compose.log" 2>&1 || fail "compose down"
docker volume inspect "$id-compose" >/dev/null || fail "compose down removed the volume"
"${compose[@]}" -p "$id" up -d >>"$work/compose.log" 2>&1 || fail "compose up again"
current=$("${compose[@]}" -p "$id" ps -q fhirbolt)
wait_healthy "$current"
token=$(cli token --key-file "$work/smoke.json" 2>/dev/null)
http 200 GET "$base_url/Patient/$pid" -H "Authorization: Bearer $token" | grep -q ComposeSmoke \
  || fail "compose: lost after down and up"
say "compose: Patient/$pid written, still there after down and up"
stop_clean "$current"
current=
"${compose[@]}" -p "$id" down -v >>"$work/compose.log" 2>&1 || fail "compose down -v"
say "OK"
