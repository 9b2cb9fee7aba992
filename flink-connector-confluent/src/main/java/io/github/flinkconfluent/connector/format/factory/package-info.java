/**
 * Chooses the row decoder or encoder of a {@code format} (avro, json, protobuf, raw). It sits above
 * the format implementations so that they depend only on the shared {@code format} contracts, not
 * on each other or on the code that picks them.
 */
package io.github.flinkconfluent.connector.format.factory;
