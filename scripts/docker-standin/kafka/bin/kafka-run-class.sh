#!/usr/bin/env bash
# Stand-in for Kafka's kafka-run-class.sh: runs CLASS ARGS... from /opt/kafka/libs with the same environment
# (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_OPTS; JAVA_HOME). Logging is slf4j-simple on stderr.
base=$(cd "$(dirname "$0")/.." && pwd)
: "${KAFKA_HEAP_OPTS:=-Xmx256M}"
: "${KAFKA_JVM_PERFORMANCE_OPTS:=-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
java=java; [ -n "${JAVA_HOME:-}" ] && java=$JAVA_HOME/bin/java
# shellcheck disable=SC2086 # option lists are words
exec "$java" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS ${KAFKA_OPTS:-} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${KAFKA_STANDIN_LOG_LEVEL:-warn}" -Dorg.slf4j.simpleLogger.showDateTime=true \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn -cp "$base/libs/*" "$@"
