#!/usr/bin/env bash
# Stand-in for Kafka's kafka-server-start.sh
[ -n "${KAFKA_HEAP_OPTS:-}" ] || export KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"
export KAFKA_STANDIN_LOG_LEVEL=info
exec "$(dirname "$0")/kafka-run-class.sh" kafka.Kafka "$@"
