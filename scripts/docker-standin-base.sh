#!/usr/bin/env bash
# Builds a local stand-in for the Dockerfile's base image (eclipse-temurin:21-jre-noble) on a machine that cannot
# pull from Docker Hub: Debian bookworm (debootstrap, minbase: bash, groupadd, useradd) with the JDK that
# bin/java-home.sh finds copied to /opt/java/openjdk, JAVA_HOME and PATH set as in the Temurin images.
# Then: docker build --build-arg BASE_IMAGE=fhirbolt-standin/temurin:bookworm ...  (scripts/docker-smoke.sh does)
#   scripts/docker-standin-base.sh [--rootfs DIR] [TAG]
#     --rootfs DIR   use a debootstrap'ed bookworm tree made before (copied, not changed) instead of a new one
# Needs root, a Docker daemon, and debootstrap with a Debian mirror (apt-get install debootstrap). Prints the tag.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rootfs_in=
if [ "${1:-}" = --rootfs ]; then rootfs_in=$2; shift 2; fi
tag=${1:-fhirbolt-standin/temurin:bookworm}
. "$here/bin/java-home.sh" >/dev/null
work=$(mktemp -d /tmp/fhirbolt-standin.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -n "$rootfs_in" ]; then
  cp -a "$rootfs_in" "$work/rootfs"
else
  mirror=${FHIRBOLT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; echo "docker-standin-base: debootstrap failed" >&2; exit 1; }
fi
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
mkdir -p "$work/rootfs/opt/java"
cp -a "$JAVA_HOME" "$work/rootfs/opt/java/openjdk"
rm -rf "$work/rootfs/opt/java/openjdk/"{include,man,jmods,lib/src.zip}
tar -C "$work/rootfs" -c . | docker import \
  --change 'ENV JAVA_HOME=/opt/java/openjdk' \
  --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["bash"]' \
  --message "stand-in for eclipse-temurin: Debian bookworm minbase + $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" \
  - "$tag" >/dev/null
docker run --rm "$tag" java -version >/dev/null 2>&1 || { echo "docker-standin-base: java does not run in $tag" >&2; exit 1; }
echo "$tag"
