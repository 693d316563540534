#!/usr/bin/env bash
# Generates synthetic patients with Synthea 3.3.0 as FHIR R4 JSON bundles, reproducibly.
#
#   scripts/synthea.sh OUT_DIR [PATIENTS] [SEED] [more Synthea options...]
#
#   PATIENTS  living patients to generate (default 10)
#   SEED      seed of the population and of the clinicians (default 42)
#
# The same PATIENTS and SEED give the same files whenever and wherever it runs: both seeds are fixed and the
# simulation's reference and end date are pinned to 2025-01-01 (Synthea otherwise simulates up to today).
# Each patient keeps 10 years of history, which keeps bundles to a few hundred resources.
#
# Result, in OUT_DIR/fhir:
#   hospitalInformation*.json      batch Bundle of Organizations and Locations (conditional creates)
#   practitionerInformation*.json  batch Bundle of Practitioners and PractitionerRoles (conditional creates)
#   <Given>_<Family>_<uuid>.json   one transaction Bundle per patient; it refers to the organizations and
#                                  practitioners above by conditional references (Organization?identifier=...),
#                                  so load those two kinds of bundles first (scripts/demo-data.sh does).
# Synthea's own log goes to OUT_DIR/synthea.log.
#
# Synthea and its dependencies come from Maven Central through the project's Maven wrapper the first time, and
# are kept in $FHIRBOLT_SYNTHEA_HOME (default ~/.cache/fhirbolt/synthea-3.3.0). Needs a JDK 21+ (bin/java-home.sh
# finds it). Extra arguments go to Synthea as they are, e.g. --exporter.fhir.bulk_data=true for NDJSON files.
set -euo pipefail
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/bin/java-home.sh"

out=$1
patients=${2:-10}
seed=${3:-42}
shift $(( $# < 3 ? $# : 3 ))
case "$patients$seed" in *[!0-9]*) echo "PATIENTS and SEED must be whole numbers" >&2; exit 2 ;; esac

version=3.3.0
home=${FHIRBOLT_SYNTHEA_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/fhirbolt/synthea-$version}
if [ ! -f "$home/lib/synthea-$version.jar" ]; then
  echo "fetching Synthea $version and its dependencies into $home (first time only)..." >&2
  mkdir -p "$home"
  cat > "$home/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.fhirbolt.tools</groupId>
  <artifactId>synthea-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.mitre.synthea</groupId><artifactId>synthea</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
POM
  "$root/mvnw" -q -B -ntp -f "$home/pom.xml" dependency:copy-dependencies -DoutputDirectory="$home/lib" >&2
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/fhir"
echo "generating $patients patients with seed $seed into $out/fhir..." >&2
# Synthea's main class is App; run it from OUT_DIR so nothing lands in the caller's directory.
if ! (cd "$out" && "$JAVA_HOME/bin/java" -Xmx2g -cp "$home/lib/*" App \
      -p "$patients" -s "$seed" -cs "$seed" -r 20250101 -e 20250101 \
      --exporter.baseDirectory="$out" \
      --exporter.fhir.export=true --exporter.hospital.fhir.export=true --exporter.practitioner.fhir.export=true \
      --exporter.csv.export=false --exporter.text.export=false --exporter.ccda.export=false \
      --exporter.years_of_history=10 --generate.only_alive_patients=true \
      "$@" >"$out/synthea.log" 2>&1); then
  echo "Synthea failed; the end of $out/synthea.log:" >&2
  tail -20 "$out/synthea.log" >&2
  exit 1
fi
echo "$(find "$out/fhir" -maxdepth 1 -type f | wc -l) files in $out/fhir"
