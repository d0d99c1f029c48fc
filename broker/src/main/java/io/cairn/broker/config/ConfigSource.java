package io.cairn.broker.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a configuration value came from, for error messages and for DescribeConfigs.
 *
 * @param kind   the kind of source
 * @param detail file and line, environment variable name, or topic; empty where there is none
 */
public record ConfigSource(Kind kind, String detail) {

    /** Kinds of sources, in increasing precedence for broker keys (TOPIC is per topic). */
    public enum Kind {
        /** The default declared with the key. */
        DEFAULT,
        /** A line of the {@code --config} properties file. */
        FILE,
        /** A {@code CAIRN_*} environment variable. */
        ENV,
        /** A {@code --set key=value} option. */
        SET,
        /** A topic-level override (CreateTopics or AlterConfigs). */
        TOPIC
    }

    public static final ConfigSource DEFAULT = new ConfigSource(Kind.DEFAULT, "");
    public static final ConfigSource SET = new ConfigSource(Kind.SET, "");

    public ConfigSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    public static ConfigSource file(Path file, int line) {
        return new ConfigSource(Kind.FILE, file + " line " + line);
    }

    public static ConfigSource env(String variable) {
        return new ConfigSource(Kind.ENV, variable);
    }

    public static ConfigSource topic(String topic) {
        return new ConfigSource(Kind.TOPIC, topic);
    }

    /** Words for messages: {@code file /etc/cairn.properties line 12}, {@code environment variable CAIRN_PORT}. */
    public String describe() {
        switch (kind) {
            case DEFAULT:
                return "default";
            case FILE:
                return "file " + detail;
            case ENV:
                return "environment variable " + detail;
            case SET:
                return "--set";
            case TOPIC:
                return detail.isEmpty() ? "topic config" : "config of topic " + detail;
            default:
                throw new IllegalStateException("unknown kind " + kind);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
