#!/usr/bin/env bash
# Builds the release archive and checks it as a user on a fresh machine would: unpacks it into an empty directory,
# runs its own launcher (bin/fhirbolt, with nothing from this checkout on its way), and checks --version, a start on a
# fresh data directory with the example config, /health, /metadata, a write and a read, and a clean stop.
#   scripts/release-check.sh            build with ./mvnw -Prelease, then check
#   scripts/release-check.sh ARCHIVE    check an archive built before
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
. "$here/bin/java-home.sh"
archive=${1:-}
if [ -z "$archive" ]; then
  (cd "$here" && ./mvnw -B -q -ntp -Prelease -DskipTests package -pl app -am)
  archive=$(ls -t "$here"/app/target/fhirbolt-*-release.tar.gz | head -1)
fi
[ -f "$archive" ] || { echo "release-check: no archive at $archive" >&2; exit 1; }
work=$(mktemp -d /tmp/fhirbolt-release.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
tar -xzf "$archive" -C "$work"
dir=$(ls -d "$work"/fhirbolt-*)
for f in bin/fhirbolt lib/fhirbolt.jar conf/fhirbolt.properties systemd/fhirbolt.service LICENSE NOTICE Dockerfile \
         compose.yaml docs/operations.md; do
  [ -e "$dir/$f" ] || { echo "release-check: the archive lacks $f" >&2; exit 1; }
done
echo "archive: $(basename "$archive") ($(du -m "$archive" | cut -f1) MB), layout complete"
version=$(env -i PATH=/usr/bin:/bin JAVA_HOME="$JAVA_HOME" "$dir/bin/fhirbolt" --version | head -1)
echo "--version: $version"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cd "$work"
# env execs the launcher, which execs java: $! is the server's own process
env -i PATH=/usr/bin:/bin HOME="$work" JAVA_HOME="$JAVA_HOME" FHIRBOLT_PORT="$port" \
    FHIRBOLT_HOST=127.0.0.1 FHIRBOLT_DATA_DIR="$work/data" FHIRBOLT_SECURITY=off \
    "$dir/bin/fhirbolt" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "release-check: the server ended" >&2; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/health" | grep -q '"UP"' || { echo "release-check: /health is not UP" >&2; exit 1; }
curl -sf -H 'Accept: application/fhir+json' "http://127.0.0.1:$port/metadata" | grep -q "\"$(echo "$version" | awk '{print $NF}')\"" \
  || echo "release-check: note: /metadata does not show the version string '$version'"
id=$(curl -sf -X POST -H 'Content-Type: application/fhir+json' "http://127.0.0.1:$port/Patient" \
    -d '{"resourceType":"Patient","name":[{"family":"Release"}]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -sf "http://127.0.0.1:$port/Patient/$id" | grep -q Release || { echo "release-check: read failed" >&2; exit 1; }
kill -TERM "$pid"; wait "$pid" || true; pid=
grep -q "stopped" "$work/server.log" || { echo "release-check: no clean stop in the log" >&2; exit 1; }
echo "release-check: OK — the unpacked archive's launcher served /health, /metadata, a write and a read, and stopped cleanly"
