package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.FormatOptions;
import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataEncoder;
import io.github.flinkconfluent.connector.format.avro.RegistryAvroSchemas;
import io.github.flinkconfluent.connector.format.avro.SqlToAvroSchema;
import io.github.flinkconfluent.connector.format.json.JsonRowDataEncoder;
import io.github.flinkconfluent.connector.format.json.JsonSchemaToSql;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufColumns;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowDataEncoder;
import io.github.flinkconfluent.connector.registry.CompatibilityResult;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks, when a query is planned, that a DDL table's declared columns and the subject's schema in
 * the registry go together — so that a mismatch is one clear error naming the table, the subject
 * and the difference, not a failing job or a stream of bad records.
 *
 * <ul>
 *   <li>Source: the columns must be able to read the subject's latest schema (Avro schema
 *       resolution; for JSON, by property name and NOT NULL against {@code required}).
 *   <li>Sink: either the subject's latest schema already describes the columns (it is reused), or
 *       the registry must accept the table's schema as the next version.
 * </ul>
 *
 * A subject that does not exist yet passes (a new topic).
 */
@Internal
final class RegistryColumnsCheck {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RegistryColumnsCheck() {}

    /**
     * @return the subject's latest Avro schema (for the decoder to follow renames), if any
     */
    static Optional<String> checkSource(
            DataFormat format, RowType rowType, FormatOptions options, String table) {
        if (!options.registryFraming()) {
            return Optional.empty();
        }
        try (SchemaRegistryClient registry = options.registry().create()) {
            return checkSource(format, rowType, options, table, registry);
        }
    }

    /**
     * The Protobuf counterpart of {@link #checkSource}: the columns must read the first message of
     * the subject's latest schema.
     *
     * @return the subject's latest schema (for the decoder to read by its field numbers), if any
     */
    static Optional<SchemaDefinition> checkProtobufSource(
            RowType rowType, FormatOptions options, String table) {
        if (!options.registryFraming()) {
            return Optional.empty();
        }
        try (SchemaRegistryClient registry = options.registry().create()) {
            Optional<RegisteredSchema> latest = latest(registry, options.subject());
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            List<String> problems =
                    ProtobufColumns.problems(
                            rowType,
                            latest.get().definition(),
                            registry,
                            options.protobufMessage());
            if (!problems.isEmpty()) {
                throw cannotRead(table, options, latest.get(), problems);
            }
            return Optional.of(latest.get().definition());
        }
    }

    private static Optional<String> checkSource(
            DataFormat format,
            RowType rowType,
            FormatOptions options,
            String table,
            SchemaRegistryClient registry) {
        Optional<RegisteredSchema> latest = latest(registry, options.subject());
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        List<String> problems =
                format == DataFormat.AVRO
                        ? avroProblems(rowType, latest.get(), registry)
                        : jsonProblems(rowType, latest.get());
        if (!problems.isEmpty()) {
            throw cannotRead(table, options, latest.get(), problems);
        }
        return format == DataFormat.AVRO
                ? Optional.of(
                        RegistryAvroSchemas.parse(latest.get().definition(), registry).toString())
                : Optional.empty();
    }

    private static ValidationException cannotRead(
            String table, FormatOptions options, RegisteredSchema latest, List<String> problems) {
        return new ValidationException(
                "The columns of table "
                        + table
                        + " cannot read subject '"
                        + options.subject()
                        + "' (version "
                        + latest.version()
                        + ", id "
                        + latest.id()
                        + "): "
                        + String.join("; ", problems)
                        + ". Declare the columns as the registry's schema has them (columns"
                        + " it lacks must be nullable), or use the schema-registry catalog,"
                        + " whose tables take their columns from the registry.");
    }

    static void checkSink(RowEncoder encoder, FormatOptions options, String table) {
        if (!options.registryFraming()) {
            return;
        }
        try (SchemaRegistryClient registry = options.registry().create()) {
            checkSink(encoder, options, table, registry);
        }
    }

    private static void checkSink(
            RowEncoder encoder,
            FormatOptions options,
            String table,
            SchemaRegistryClient registry) {
        SchemaDefinition ours;
        if (encoder instanceof AvroRowDataEncoder avro) {
            if (avro.fittingLatest(registry).isPresent()) {
                return;
            }
            ours = SchemaDefinition.avro(avro.schema().toString());
        } else if (encoder instanceof JsonRowDataEncoder json) {
            if (json.fittingLatest(registry).isPresent()) {
                return;
            }
            ours = SchemaDefinition.json(json.schema().toString());
        } else if (encoder instanceof ProtobufRowDataEncoder protobuf) {
            if (protobuf.fittingLatest(registry).isPresent()) {
                return;
            }
            ours = protobuf.schema();
        } else {
            return;
        }
        CompatibilityResult result;
        try {
            result = registry.testCompatibility(options.subject(), ours);
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.SUBJECT_NOT_FOUND
                    || e.kind() == SchemaRegistryException.Kind.VERSION_NOT_FOUND) {
                return;
            }
            throw e;
        }
        if (!result.compatible()) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " writes "
                            + ours.type()
                            + " values whose schema subject '"
                            + options.subject()
                            + "' rejects as incompatible with its latest version"
                            + (result.messages().isEmpty()
                                    ? ""
                                    : ": " + String.join("; ", result.messages()))
                            + ". Declare the columns as the subject's schema has them (new columns"
                            + " nullable), or change the subject's compatibility rule. The"
                            + " table's schema: "
                            + ours.text());
        }
    }

    private static Optional<RegisteredSchema> latest(
            SchemaRegistryClient registry, String subject) {
        try {
            return Optional.of(registry.getLatest(subject));
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static List<String> avroProblems(
            RowType rowType, RegisteredSchema latest, SchemaRegistryClient registry) {
        if (latest.definition().type() != SchemaType.AVRO) {
            return List.of("it holds a " + latest.definition().type() + " schema, not Avro");
        }
        Schema writer = RegistryAvroSchemas.parse(latest.definition(), registry);
        Schema reader;
        try {
            reader = SqlToAvroSchema.alignedTo(rowType, writer, "record", writer);
        } catch (RuntimeException e) {
            return List.of(e.getMessage());
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        List<String> problems = new ArrayList<>();
        for (SchemaCompatibility.Incompatibility i :
                compatibility.getResult().getIncompatibilities()) {
            problems.add(describe(i));
        }
        return problems;
    }

    private static String describe(SchemaCompatibility.Incompatibility incompatibility) {
        String location = incompatibility.getLocation().replace("/fields/", ".");
        switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE:
                return "column '"
                        + incompatibility.getMessage()
                        + "' is NOT NULL but the schema has no such field";
            case TYPE_MISMATCH:
                return "at " + location + ": " + incompatibility.getMessage();
            default:
                return incompatibility.getType()
                        + " at "
                        + location
                        + ": "
                        + incompatibility.getMessage();
        }
    }

    private static List<String> jsonProblems(RowType rowType, RegisteredSchema latest) {
        if (latest.definition().type() != SchemaType.JSON) {
            return List.of("it holds a " + latest.definition().type() + " schema, not JSON");
        }
        RowType theirs;
        try {
            theirs =
                    (RowType)
                            JsonSchemaToSql.toRowType(MAPPER.readTree(latest.definition().text()))
                                    .getLogicalType();
        } catch (IOException | RuntimeException e) {
            return List.of("its JSON Schema cannot be read: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        for (RowType.RowField column : rowType.getFields()) {
            int index = theirs.getFieldIndex(column.getName());
            LogicalType declared = column.getType();
            if (index < 0) {
                if (!declared.isNullable()) {
                    problems.add(
                            "column '"
                                    + column.getName()
                                    + "' is NOT NULL but the schema has no such property");
                }
                continue;
            }
            LogicalType property = theirs.getTypeAt(index);
            if (!declared.isNullable() && property.isNullable()) {
                problems.add(
                        "column '"
                                + column.getName()
                                + "' is NOT NULL but the property is not required");
            }
            if (!declared.is(LogicalTypeFamily.CHARACTER_STRING)
                    && !sameFamily(declared, property)) {
                problems.add(
                        "column '"
                                + column.getName()
                                + "' is "
                                + declared.asSummaryString()
                                + " but the property is "
                                + property.copy(true).asSummaryString());
            }
        }
        return problems;
    }

    private static boolean sameFamily(LogicalType a, LogicalType b) {
        if (a.is(LogicalTypeFamily.NUMERIC) && b.is(LogicalTypeFamily.NUMERIC)) {
            return true;
        }
        return a.getTypeRoot() == b.getTypeRoot();
    }
}
