#!/usr/bin/env bash
# Starts the real Kafka broker and Apicurio Schema Registry used by the tests, on free ports of
# 127.0.0.1, and keeps them running until Ctrl-C. Data and logs go under
# flink-connector-confluent-test-utils/target/test-services/.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -DskipTests -pl flink-connector-confluent-test-utils
./mvnw -B -q -pl flink-connector-confluent-test-utils \
  org.codehaus.mojo:exec-maven-plugin:3.5.1:java \
  -Dexec.mainClass=io.github.flinkconfluent.testing.TestServicesMain \
  -Dexec.classpathScope=compile
