package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.json.JsonSchemaValidator;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes Jackson trees or objects (bound by Jackson) as Confluent-framed JSON with the id of a JSON
 * Schema you give, registered under the subject a {@link SubjectNameStrategy} (the schema's {@code
 * title} is its record name) or a fixed subject names. The subject's latest version is used when it
 * is the same schema (same JSON, formatting aside); each value is checked against the schema before
 * it is written unless {@link #withoutValidation()}, and one that violates it fails the task with
 * the violations (a bug in the job, not bad input).
 */
@PublicEvolving
public final class ConfluentJsonSerializer<T> extends RegistryRecordSerializer<T> {

    private static final long serialVersionUID = 1L;

    private final String schemaText;
    private final SubjectNameStrategy strategy;
    @Nullable private final String subject;
    private final boolean validate;
    private final boolean autoRegister;

    private transient SchemaRegistryClient registry;
    private transient ObjectMapper mapper;
    private transient JsonNode schema;
    private transient JsonSchemaValidator validator;
    private transient Map<String, Integer> ids;

    private ConfluentJsonSerializer(
            RegistryClientFactory registry,
            String schemaText,
            SubjectNameStrategy strategy,
            @Nullable String subject,
            boolean validate,
            boolean autoRegister) {
        super(registry);
        this.schemaText = Objects.requireNonNull(schemaText, "schemaText");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.subject = subject;
        this.validate = validate;
        this.autoRegister = autoRegister;
        parse(schemaText); // a schema that is not JSON fails when the job is built
    }

    /** Writes values (trees or objects Jackson can serialize) with JSON Schema {@code schema}. */
    public static <T> ConfluentJsonSerializer<T> of(String schema, ConnectionProfile profile) {
        return of(schema, RegistryProfiles.registryOf(profile, "Writing JSON Schema values"));
    }

    /** As {@link #of(String, ConnectionProfile)}, with a registry client factory. */
    public static <T> ConfluentJsonSerializer<T> of(String schema, RegistryClientFactory registry) {
        return new ConfluentJsonSerializer<>(
                registry, schema, SubjectNameStrategy.TOPIC_NAME, null, true, true);
    }

    /** This serializer with subjects named by {@code strategy} (default {@code TOPIC_NAME}). */
    public ConfluentJsonSerializer<T> withSubjectNameStrategy(SubjectNameStrategy strategy) {
        return new ConfluentJsonSerializer<>(
                registryFactory(), schemaText, strategy, null, validate, autoRegister);
    }

    /** This serializer with its schema under {@code subject}, whatever the topic. */
    public ConfluentJsonSerializer<T> withSubject(String subject) {
        return new ConfluentJsonSerializer<>(
                registryFactory(),
                schemaText,
                strategy,
                Objects.requireNonNull(subject, "subject"),
                validate,
                autoRegister);
    }

    /** This serializer without checking values against the schema. */
    public ConfluentJsonSerializer<T> withoutValidation() {
        return new ConfluentJsonSerializer<>(
                registryFactory(), schemaText, strategy, subject, false, autoRegister);
    }

    /** This serializer, requiring that the subject has the schema already. */
    public ConfluentJsonSerializer<T> withoutAutoRegistration() {
        return new ConfluentJsonSerializer<>(
                registryFactory(), schemaText, strategy, subject, validate, false);
    }

    private static JsonNode parse(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "The JSON Schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    protected void open(SchemaRegistryClient registry) {
        this.registry = registry;
        this.mapper = new ObjectMapper();
        this.schema = parse(schemaText);
        this.validator = validate ? new JsonSchemaValidator(schema) : null;
        this.ids = new HashMap<>();
    }

    @Override
    @Nullable
    public byte[] encode(@Nullable T value, String topic, boolean isKey) {
        if (value == null) {
            return null;
        }
        JsonNode tree = value instanceof JsonNode node ? node : mapper.valueToTree(value);
        String title = schema.path("title").isTextual() ? schema.get("title").asText() : null;
        String subjectName = subject != null ? subject : strategy.subject(topic, isKey, title);
        Integer id = ids.get(subjectName);
        if (id == null) {
            id =
                    SchemaIds.idFor(
                            registry,
                            subjectName,
                            SchemaDefinition.json(schemaText),
                            latest -> sameJson(latest.definition().text()),
                            autoRegister);
            ids.put(subjectName, id);
        }
        if (validator != null) {
            List<String> problems;
            try {
                problems = validator.validate(tree);
            } catch (JsonSchemaValidator.StepLimitException e) {
                throw new IllegalArgumentException(
                        "Cannot check a value for subject '"
                                + subjectName
                                + "' against its JSON Schema: "
                                + e.getMessage(),
                        e);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "A value for topic '"
                                + topic
                                + "' violates the JSON Schema of subject '"
                                + subjectName
                                + "': "
                                + String.join("; ", problems));
            }
        }
        try {
            byte[] body = mapper.writeValueAsBytes(tree);
            return ConfluentWireFormat.frame(id, body, 0, body.length);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write a value as JSON", e);
        }
    }

    private boolean sameJson(String registered) {
        try {
            return mapper.readTree(registered).equals(schema);
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
