#!/usr/bin/env bash
# Loads a small, reproducible set of synthetic patients (Synthea) into a running Fhirbolt server.
#
#   scripts/demo-data.sh [BASE_URL] [PATIENTS] [SEED]
#
#   BASE_URL  the server's FHIR base (default http://localhost:8080)
#   PATIENTS  how many patients (default 10); SEED the Synthea seed (default 42)
#
# The bundles are made by scripts/synthea.sh once and kept in $FHIRBOLT_DEMO_DATA (default
# ~/.cache/fhirbolt/demo-PATIENTS-SEED), then POSTed to BASE_URL in the order their references need:
# hospitalInformation* and practitionerInformation* (batch bundles of conditional creates) first, then one
# transaction bundle per patient, whose conditional references (Organization?identifier=...,
# Practitioner?identifier=...) need the server's search to resolve.
# Each file's result is printed; the script exits non-zero if any bundle, or any entry of a batch, failed.
# A very long patient history can make a bundle larger than the server's --max-body-bytes (64 MiB by default):
# that bundle fails with 413 and the others still load (seed 42 has one of 85 MB; start the server with
# --max-body-bytes 134217728 to take it).
# (Once `fhirbolt load` exists it is the faster way to load large sets; this script only needs curl.)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
base=${1:-http://localhost:8080}
base=${base%/}
patients=${2:-10}
seed=${3:-42}
data=${FHIRBOLT_DEMO_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/fhirbolt/demo-$patients-$seed}
command -v curl >/dev/null || { echo "demo-data.sh needs curl" >&2; exit 1; }

if ! curl -fsS -o /dev/null -H 'Accept: application/fhir+json' "$base/metadata"; then
  echo "no FHIR server answers at $base/metadata; start one (./fhirbolt serve) or pass its base URL" >&2
  exit 1
fi
if ! ls "$data"/fhir/*.json >/dev/null 2>&1; then
  "$root/scripts/synthea.sh" "$data" "$patients" "$seed"
fi

shopt -s nullglob
first=("$data"/fhir/hospitalInformation*.json "$data"/fhir/practitionerInformation*.json)
rest=()
for f in "$data"/fhir/*.json; do
  case "$(basename "$f")" in hospitalInformation*|practitionerInformation*) ;; *) rest+=("$f") ;; esac
done

response=$(mktemp)
trap 'rm -f "$response"' EXIT
failed=0
loaded=0
for f in "${first[@]}" "${rest[@]}"; do
  name=$(basename "$f")
  started=$(date +%s.%N)
  status=$(curl -sS -o "$response" -w '%{http_code}' -X POST \
      -H 'Content-Type: application/fhir+json' -H 'Accept: application/fhir+json' \
      --data-binary "@$f" "$base/" || echo 000)
  seconds=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  # a batch answers 200 even when entries fail: count the entries whose status is 4xx or 5xx
  bad=$(grep -o '"status" *: *"[45][0-9][0-9]' "$response" | wc -l || true)
  if [ "$status" = 200 ] && [ "$bad" -eq 0 ]; then
    loaded=$((loaded + 1))
    echo "ok      $name (${seconds}s)"
  else
    failed=$((failed + 1))
    detail=$(grep -o '"diagnostics" *: *"[^"]*"' "$response" | head -1 | cut -d'"' -f4 || true)
    echo "FAILED  $name: HTTP $status, $bad failed entries${detail:+; first problem: $detail}"
  fi
done
echo "$loaded of $((loaded + failed)) bundles loaded into $base from $data/fhir"
[ "$failed" -eq 0 ]
