#!/usr/bin/env bash
# Loads a small, reproducible set of synthetic patients (Synthea) into a running Fhirbolt server.
#
#   scripts/demo-data.sh [BASE_URL] [PATIENTS] [SEED]
#
#   BASE_URL  the server's FHIR base (default http://localhost:8080)
#   PATIENTS  how many patients (default 10); SEED the Synthea seed (default 42)
#
# The bundles are made by scripts/synthea.sh once and kept in $FHIRBOLT_DEMO_DATA (default
# ~/.cache/fhirbolt/demo-PATIENTS-SEED), then loaded with `fhirbolt load`, which sends them in the order their
# references need (hospitals, practitioners, then one transaction a patient) and prints a summary.
# A secured server (the default) needs a token with write scopes: set FHIRBOLT_TOKEN (see docs/smart-guide.md),
# or run the server with --security off while trying things out.
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
exec "$root/fhirbolt" load --server "$base" "$data/fhir"
