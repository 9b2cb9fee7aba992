#!/usr/bin/env bash
# Replaces the API baseline of the connector (flink-connector-confluent/api-baseline/) with the jar
# built from the current working tree. Run it only for a deliberate change of the public API
# (@Public / @PublicEvolving), and commit the new jar together with that change. See
# docs/development.md, "API compatibility".
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -o -q clean package -pl flink-connector-confluent -DskipTests
cp flink-connector-confluent/target/flink-connector-confluent-*-SNAPSHOT.jar \
  flink-connector-confluent/api-baseline/flink-connector-confluent-api-baseline.jar
echo "Baseline replaced from $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted changes')."
