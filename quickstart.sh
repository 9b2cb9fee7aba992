#!/usr/bin/env bash
# Quickstart: builds the project, starts the embedded real services and runs the seed's example.
# The example needs the 'confluent' source, which has not landed yet.
set -euo pipefail
cd "$(dirname "$0")"
echo "The quickstart (Avro orders through the Schema Registry, the seed's 'orders' DDL and a"
echo "windowed aggregate in Flink) arrives with the 'confluent' source. Today you can run the"
echo "test suite, which starts a real Kafka broker and Schema Registry: ./mvnw -B verify"
