package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.RecordLimits;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON value against a JSON Schema (draft 4 to 2020-12, the keywords that constrain data
 * shape): {@code type}, {@code properties}, {@code required}, {@code additionalProperties}, {@code
 * items}, {@code enum}, {@code const}, numeric and length bounds, {@code allOf} / {@code anyOf} /
 * {@code oneOf} / {@code not}, and local {@code $ref}s ({@code #/definitions/..}, {@code
 * #/$defs/..}). {@code format} and remote references are not checked.
 *
 * <p>Written here because no JSON Schema library works with Flink's shaded Jackson; the subset is
 * what Confluent's serializer validation needs to catch records of the wrong shape.
 *
 * <p>Whoever registers the schema decides how much work validating a record takes: each level of
 * {@code anyOf} / {@code oneOf} / {@code allOf} that references the next level twice doubles it, so
 * 30 such levels check one small value a billion times. Each {@link #validate} therefore has a step
 * budget (one step: one schema checked against one value, {@link
 * RecordLimits#JSON_VALIDATE_MAX_STEPS_OPTION}) and ends with {@link StepLimitException} when it is
 * spent.
 */
@Internal
public final class JsonSchemaValidator {

    private static final int MAX_REF_DEPTH = 64;

    private final JsonNode root;
    private final int maxSteps;
    private final Map<String, JsonNode> resolved = new HashMap<>();
    private int steps;

    /** Validation spent its step budget before it could decide. */
    public static final class StepLimitException extends Exception {
        private static final long serialVersionUID = 1L;

        StepLimitException(int maxSteps) {
            super(
                    "validating the value against its JSON Schema takes more than "
                            + maxSteps
                            + " steps, the per-record limit '"
                            + RecordLimits.JSON_VALIDATE_MAX_STEPS_OPTION
                            + "' (a step is one schema checked against one value); raise it if"
                            + " such values and schemas are legitimate");
        }
    }

    /**
     * A validator with the default budget, {@link RecordLimits#DEFAULT_JSON_VALIDATE_MAX_STEPS}.
     */
    public JsonSchemaValidator(JsonNode schema) {
        this(schema, RecordLimits.DEFAULT_JSON_VALIDATE_MAX_STEPS);
    }

    /**
     * @param maxSteps schemas checked against values allowed for one {@link #validate} call
     */
    public JsonSchemaValidator(JsonNode schema, int maxSteps) {
        this.root = schema;
        this.maxSteps =
                RecordLimits.requireAtLeast(
                        RecordLimits.JSON_VALIDATE_MAX_STEPS_OPTION, maxSteps, 1);
    }

    /**
     * The violations of {@code value}, empty when it is valid; at most a few are reported.
     *
     * @throws StepLimitException when deciding takes more than the step budget
     */
    public List<String> validate(JsonNode value) throws StepLimitException {
        steps = 0;
        List<String> problems = new ArrayList<>();
        check(root, value, "$", problems, 0);
        return problems;
    }

    /** Steps the last {@link #validate} took (one more than the budget if it ran out). */
    int stepsOfLastValidation() {
        return steps;
    }

    private void check(
            JsonNode schema, JsonNode value, String path, List<String> problems, int depth)
            throws StepLimitException {
        if (++steps > maxSteps) {
            throw new StepLimitException(maxSteps);
        }
        if (problems.size() >= 5 || schema == null || schema.isMissingNode()) {
            return;
        }
        if (schema.isBoolean()) {
            if (!schema.asBoolean()) {
                problems.add(path + ": no value is allowed here");
            }
            return;
        }
        if (schema.has("$ref")) {
            if (depth > MAX_REF_DEPTH) {
                problems.add(path + ": $ref nesting deeper than " + MAX_REF_DEPTH);
                return;
            }
            JsonNode target = resolve(schema.get("$ref").asText());
            if (target.isMissingNode()) {
                problems.add(path + ": cannot resolve $ref " + schema.get("$ref").asText());
                return;
            }
            check(target, value, path, problems, depth + 1);
        }
        JsonNode type = schema.get("type");
        if (type != null && !matchesType(type, value)) {
            problems.add(path + ": expected " + type + " but found " + describe(value));
            return;
        }
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null && enumValues.isArray() && !contains(enumValues, value)) {
            problems.add(path + ": " + value + " is not one of " + enumValues);
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            problems.add(path + ": must be " + schema.get("const"));
        }
        if (value.isNumber()) {
            checkNumber(schema, value, path, problems);
        }
        if (value.isTextual()) {
            int length = value.asText().codePointCount(0, value.asText().length());
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                problems.add(path + ": shorter than minLength " + schema.get("minLength"));
            }
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                problems.add(path + ": longer than maxLength " + schema.get("maxLength"));
            }
        }
        if (value.isObject()) {
            checkObject(schema, value, path, problems, depth);
        }
        if (value.isArray()) {
            checkArray(schema, value, path, problems, depth);
        }
        checkCombinators(schema, value, path, problems, depth);
    }

    private void checkNumber(JsonNode schema, JsonNode value, String path, List<String> problems) {
        double number = value.asDouble();
        if (schema.has("minimum") && number < schema.get("minimum").asDouble()) {
            problems.add(path + ": " + value + " < minimum " + schema.get("minimum"));
        }
        if (schema.has("maximum") && number > schema.get("maximum").asDouble()) {
            problems.add(path + ": " + value + " > maximum " + schema.get("maximum"));
        }
        JsonNode exclusiveMin = schema.get("exclusiveMinimum");
        if (exclusiveMin != null && exclusiveMin.isNumber() && number <= exclusiveMin.asDouble()) {
            problems.add(path + ": " + value + " <= exclusiveMinimum " + exclusiveMin);
        }
        JsonNode exclusiveMax = schema.get("exclusiveMaximum");
        if (exclusiveMax != null && exclusiveMax.isNumber() && number >= exclusiveMax.asDouble()) {
            problems.add(path + ": " + value + " >= exclusiveMaximum " + exclusiveMax);
        }
    }

    private void checkObject(
            JsonNode schema, JsonNode value, String path, List<String> problems, int depth)
            throws StepLimitException {
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
            for (JsonNode name : required) {
                if (!value.has(name.asText())) {
                    problems.add(path + ": required property '" + name.asText() + "' is missing");
                }
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String childPath = path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(properties.get(field.getKey()), field.getValue(), childPath, problems, depth);
            } else if (additional != null) {
                if (additional.isBoolean() && !additional.asBoolean()) {
                    problems.add(path + ": property '" + field.getKey() + "' is not allowed");
                } else if (additional.isObject()) {
                    check(additional, field.getValue(), childPath, problems, depth);
                }
            }
        }
    }

    private void checkArray(
            JsonNode schema, JsonNode value, String path, List<String> problems, int depth)
            throws StepLimitException {
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            problems.add(path + ": fewer than minItems " + schema.get("minItems"));
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            problems.add(path + ": more than maxItems " + schema.get("maxItems"));
        }
        JsonNode items = schema.get("items");
        if (items != null && (items.isObject() || items.isBoolean())) {
            for (int i = 0; i < value.size(); i++) {
                check(items, value.get(i), path + "[" + i + "]", problems, depth);
            }
        }
    }

    private void checkCombinators(
            JsonNode schema, JsonNode value, String path, List<String> problems, int depth)
            throws StepLimitException {
        JsonNode allOf = schema.get("allOf");
        if (allOf != null) {
            for (JsonNode sub : allOf) {
                check(sub, value, path, problems, depth);
            }
        }
        JsonNode anyOf = schema.get("anyOf");
        if (anyOf != null && countMatches(anyOf, value, depth) == 0) {
            problems.add(path + ": matches none of anyOf");
        }
        JsonNode oneOf = schema.get("oneOf");
        if (oneOf != null) {
            int matches = countMatches(oneOf, value, depth);
            if (matches != 1) {
                problems.add(path + ": matches " + matches + " of oneOf, not exactly one");
            }
        }
        JsonNode not = schema.get("not");
        if (not != null) {
            List<String> sub = new ArrayList<>();
            check(not, value, path, sub, depth);
            if (sub.isEmpty()) {
                problems.add(path + ": must not match the 'not' schema");
            }
        }
    }

    private int countMatches(JsonNode alternatives, JsonNode value, int depth)
            throws StepLimitException {
        int matches = 0;
        for (JsonNode sub : alternatives) {
            List<String> subProblems = new ArrayList<>();
            check(sub, value, "$", subProblems, depth);
            if (subProblems.isEmpty()) {
                matches++;
            }
        }
        return matches;
    }

    /** The schema a local {@code $ref} names (resolved once per reference), or missing. */
    private JsonNode resolve(String ref) {
        return resolved.computeIfAbsent(
                ref,
                r -> {
                    if (r.equals("#")) {
                        return root;
                    }
                    return r.startsWith("#/") ? root.at(r.substring(1)) : MissingNode.getInstance();
                });
    }

    private static boolean matchesType(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (matchesType(t.asText(), value)) {
                    return true;
                }
            }
            return false;
        }
        return matchesType(type.asText(), value);
    }

    private static boolean matchesType(String type, JsonNode value) {
        switch (type) {
            case "object":
                return value.isObject();
            case "array":
                return value.isArray();
            case "string":
                return value.isTextual();
            case "boolean":
                return value.isBoolean();
            case "null":
                return value.isNull();
            case "integer":
                return value.isIntegralNumber()
                        || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "number":
                return value.isNumber();
            default:
                return true;
        }
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode candidate : array) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
