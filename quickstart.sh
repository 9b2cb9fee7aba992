#!/usr/bin/env bash
# Quickstart: builds the project, starts a real Kafka broker and Schema Registry on 127.0.0.1,
# produces Avro orders through the registry, runs the 'orders' DDL with a windowed
# aggregate in Flink, prints the results, and stops everything. Needs Java 17 and Maven Central.
set -euo pipefail
cd "$(dirname "$0")"
echo "==> Building (first run downloads Maven, Flink, Kafka and the Apicurio Registry: a few minutes)"
./mvnw -B -q install -DskipTests
./mvnw -B -q -pl flink-connector-confluent exec:exec@quickstart
