package io.github.flinkconfluent.connector.profile;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a profile was defined, so that every message can point the user at the line to fix: the
 * Flink configuration key, the entry in the profiles file, or the table option.
 */
@Internal
final class ProfileOrigin implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The three places a profile can come from. */
    enum Kind {
        FLINK_CONFIG,
        FILE,
        INLINE
    }

    private final Kind kind;
    private final String profileName;
    private final String file;

    private ProfileOrigin(Kind kind, String profileName, String file) {
        this.kind = kind;
        this.profileName = profileName;
        this.file = file;
    }

    static ProfileOrigin flinkConfig(String profileName) {
        return new ProfileOrigin(Kind.FLINK_CONFIG, profileName, null);
    }

    static ProfileOrigin file(String profileName, String file) {
        return new ProfileOrigin(Kind.FILE, profileName, Objects.requireNonNull(file));
    }

    static ProfileOrigin inline() {
        return new ProfileOrigin(Kind.INLINE, ConnectionProfiles.INLINE_PROFILE_NAME, null);
    }

    Kind kind() {
        return kind;
    }

    /**
     * The full name of a field's setting as the user wrote it, e.g. {@code
     * confluent.profiles.my_cluster.secret}, {@code profiles.my_cluster.secret in /etc/p.yaml} or
     * {@code secret} (a table option).
     */
    String settingName(String field) {
        return switch (kind) {
            case FLINK_CONFIG -> ConnectionProfiles.PROFILES_PREFIX + profileName + "." + field;
            case FILE -> "profiles." + profileName + "." + field + " in " + file;
            case INLINE -> field;
        };
    }

    /** For messages: "Flink configuration", "profiles file /x.yaml", "table options". */
    String describe() {
        return switch (kind) {
            case FLINK_CONFIG ->
                    "Flink configuration ("
                            + ConnectionProfiles.PROFILES_PREFIX
                            + profileName
                            + ".*)";
            case FILE -> "profiles file " + file;
            case INLINE -> "table options";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProfileOrigin other
                && kind == other.kind
                && profileName.equals(other.profileName)
                && Objects.equals(file, other.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, profileName, file);
    }

    @Override
    public String toString() {
        return describe();
    }
}
