package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/** A schema under a subject: its global id, its version within the subject, and its text. */
@PublicEvolving
public record RegisteredSchema(String subject, int version, int id, SchemaDefinition definition)
        implements Serializable {}
