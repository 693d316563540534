#!/usr/bin/env bash
# Builds local stand-ins for the engine images compose-cluster.yaml names, apache/kafka:4.1.1 and cassandra:5.0, on a
# machine that cannot pull from Docker Hub. They honour the interface the compose file relies on, not the whole images:
#   Kafka: /etc/kafka/docker/run turns KAFKA_* variables into server properties as the apache/kafka image does,
#     formats the data directory with CLUSTER_ID once, runs as appuser (uid 1000) with the volume /var/lib/kafka/data;
#     /opt/kafka/bin has kafka-server-start, kafka-storage, kafka-broker-api-versions (the health check), kafka-topics
#     and kafka-metadata-quorum, honouring KAFKA_HEAP_OPTS / KAFKA_OPTS.
#   Cassandra: the entrypoint writes CASSANDRA_CLUSTER_NAME / SEEDS / ENDPOINT_SNITCH / DC / RACK / LISTEN_ADDRESS ...
#     into cassandra.yaml and cassandra-rackdc.properties as the cassandra image does, starts as root and steps down to
#     user cassandra (uid 999), data in the volume /var/lib/cassandra; MAX_HEAP_SIZE / HEAP_NEWSIZE set the heap;
#     nodetool; cqlsh is a stand-in (the real one is a Python program that is not on Maven Central): it runs
#     `cqlsh -e 'STATEMENT'` (the health check) through the DataStax Java driver in Cassandra's own lib/.
# Kafka 4.1.1 and Cassandra 5.0.9 come from Maven Central exactly as bin/cluster gets them (bin/cluster.d/kafka.sh and
# cassandra.sh: cluster/kafka/pom.xml, cluster/cassandra/pom.xml), plus org.apache.kafka:kafka-tools for the command
# line tools; both run on this machine's Java 17 (Cassandra 5.0 needs 17), laid over the stand-in base image of
# scripts/docker-standin-base.sh (made first when missing). Then, from the unpacked release archive:
#   FHIRBOLT_KAFKA_IMAGE=fhirbolt-standin/kafka:4.1.1 FHIRBOLT_CASSANDRA_IMAGE=fhirbolt-standin/cassandra:5.0 \
#     docker compose -f compose-cluster.yaml build --build-arg BASE_IMAGE=fhirbolt-standin/temurin:bookworm ...
# (scripts/docker-cluster-smoke.sh does). Needs root (for the base image), a Docker daemon and Maven Central.
#   scripts/docker-standin-engines.sh      prints the two tags, Kafka's first
# Environment: FHIRBOLT_STANDIN_BASE, the base image (default fhirbolt-standin/temurin:bookworm).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
base=${FHIRBOLT_STANDIN_BASE:-fhirbolt-standin/temurin:bookworm}
jre_tag=fhirbolt-standin/temurin:17-bookworm
kafka_tag=fhirbolt-standin/kafka:4.1.1
cassandra_tag=fhirbolt-standin/cassandra:5.0
docker info >/dev/null 2>&1 || { echo "docker-standin-engines: no Docker daemon answers (docker info)" >&2; exit 2; }
docker image inspect "$base" >/dev/null 2>&1 || "$here/scripts/docker-standin-base.sh" "$base" >/dev/null
work=$(mktemp -d /tmp/fhirbolt-standin-engines.XXXXXX)
trap 'rm -rf "$work"' EXIT
say() { echo "docker-standin-engines: $*" >&2; }

# the jars and the Java 17, found and fetched by bin/cluster's own plug-ins
. "$here/bin/java-home.sh" >/dev/null
root=$here
export FHIRBOLT_CLUSTER_DIR=$work/cluster FHIRBOLT_CLUSTER_PORT_BASE=19000
count_of() { echo 3; }
. "$here/bin/cluster.d/kafka.sh"
. "$here/bin/cluster.d/cassandra.sh"
kafka_prepare >&2
cassandra_prepare >&2
java17_home=$(dirname "$(dirname "$(readlink -f "$cassandra_java")")")
[ "$(kafka_java_version "$java17_home/bin/java")" = 17 ] || { say "no Java 17 (found $java17_home)"; exit 1; }

# 1. the stand-in base with Java 17 in JAVA_HOME (the official images run 17 and 21)
mkdir -p "$work/jre"
cp -a "$java17_home" "$work/jre/openjdk-17"
rm -rf "$work/jre/openjdk-17/"{docs,include,jmods,man,demo,lib/src.zip}
# a distribution's JDK links into /etc and /usr/share: the files themselves go into the image, dangling links not
find "$work/jre/openjdk-17" -type l | while read -r link; do
  target=$(readlink -f "$link" || true); rm "$link"; [ -z "$target" ] || [ ! -e "$target" ] || cp -rL "$target" "$link"
done
cat > "$work/jre/Dockerfile" <<DOCKERFILE
FROM $base
COPY openjdk-17/ /opt/java/openjdk-17/
ENV JAVA_HOME=/opt/java/openjdk-17 PATH=/opt/java/openjdk-17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKERFILE
docker build -q -t "$jre_tag" "$work/jre" >/dev/null
say "$jre_tag: $(docker run --rm "$jre_tag" java -version 2>&1 | head -1)"

# 2. Kafka
cp -r "$here/scripts/docker-standin/kafka" "$work/kafka"
mkdir -p "$work/kafka/libs"
cp "$kafka_lib"/*.jar "$work/kafka/libs/"
(cd "$here" && ./mvnw -B -ntp -q -f cluster/kafka/pom.xml dependency:copy \
  -Dartifact="org.apache.kafka:kafka-tools:$kafka_version" -DoutputDirectory="$work/kafka/libs") >&2
docker build -q --build-arg BASE_IMAGE="$jre_tag" -t "$kafka_tag" "$work/kafka" >/dev/null
docker run --rm "$kafka_tag" /opt/kafka/bin/kafka-storage.sh version >/dev/null 2>&1 \
  || { say "kafka-storage.sh does not run in $kafka_tag"; exit 1; }
say "$kafka_tag: Kafka $kafka_version, $(ls "$work/kafka/libs" | wc -l) jars"

# 3. Cassandra
cp -r "$here/scripts/docker-standin/cassandra" "$work/cassandra"
lib=$(cassandra_lib)
mkdir -p "$work/cassandra/lib" "$work/cassandra/tools"
cp "$lib"/*.jar "$work/cassandra/lib/"
# the JPMS flags bin/cluster gives a Cassandra node on Java 17, without its development-only settings
cassandra_java_flags 1 | grep -E '^(--add-exports|--add-opens|-Dio\.netty)' > "$work/cassandra/conf/jvm17.flags"
"$java17_home/bin/javac" -nowarn -d "$work/cassandra/tools" -cp "$lib/*" "$work/cassandra/StandinCqlsh.java"
rm "$work/cassandra/StandinCqlsh.java"
docker build -q --build-arg BASE_IMAGE="$jre_tag" -t "$cassandra_tag" "$work/cassandra" >/dev/null
say "$cassandra_tag: Cassandra $cassandra_version, $(ls "$work/cassandra/lib" | wc -l) jars, cqlsh stand-in"
echo "$kafka_tag"
echo "$cassandra_tag"
