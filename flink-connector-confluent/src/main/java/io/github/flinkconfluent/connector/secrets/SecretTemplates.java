package io.github.flinkconfluent.connector.secrets;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code {{NAME}}} placeholders in connection settings from environment variables.
 *
 * <p>Secrets (API keys, passwords) are written in plans, checkpoints and table options only as
 * templates; they are resolved here, on the machine that opens the connection, right before use. A
 * missing variable is an error that names the variable and the setting, never a silent empty
 * string.
 */
@Internal
public final class SecretTemplates {

    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private SecretTemplates() {}

    /** Resolves {@code template} against the process environment. */
    public static String resolve(String template, String setting) {
        return resolve(template, setting, System::getenv);
    }

    /**
     * Replaces every {@code {{NAME}}} in {@code template} with {@code environment.apply(NAME)}.
     *
     * @param setting the option the value came from, named in the error when a variable is missing
     * @throws MissingSecretException if a referenced variable is not set
     */
    public static String resolve(
            String template, String setting, Function<String, String> environment) {
        if (template == null || template.indexOf("{{") < 0) {
            return template;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = environment.apply(name);
            if (value == null) {
                throw new MissingSecretException(name, setting);
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /** The variables {@code value} names in {@code {{NAME}}} placeholders, in order. */
    public static java.util.List<String> variables(String value) {
        java.util.List<String> names = new java.util.ArrayList<>();
        if (value != null) {
            Matcher matcher = PLACEHOLDER.matcher(value);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /** True if {@code value} contains at least one {@code {{NAME}}} placeholder. */
    public static boolean isTemplate(String value) {
        return value != null && PLACEHOLDER.matcher(value).find();
    }

    /** Thrown when a {@code {{NAME}}} placeholder names an environment variable that is not set. */
    @PublicEvolving
    public static final class MissingSecretException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String variable;

        MissingSecretException(String variable, String setting) {
            super(
                    "Environment variable '"
                            + variable
                            + "' referenced as {{"
                            + variable
                            + "}} in '"
                            + setting
                            + "' is not set on this machine ("
                            + hostName()
                            + "). Set it in the environment of every Flink process that opens"
                            + " the connection (JobManager, TaskManagers and the SQL client).");
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "unknown host";
            }
        }
    }
}
