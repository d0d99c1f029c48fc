package io.cairn.client.config;

import java.util.Objects;

/**
 * The declaration of one client setting: its name, type, default, valid values and doc line. The
 * single source for validation and for the configuration tables in {@code docs/client.md}.
 *
 * @param name the Kafka-style dotted name, e.g. {@code linger.ms}
 * @param type the value type
 * @param defaultValue the typed default, or null when the key is required or has no default
 * @param required whether the key must be given
 * @param validator the check for valid values, after type conversion
 * @param doc one line explaining the setting
 */
public record ConfigKey(String name, ConfigType type, Object defaultValue, boolean required,
                        ConfigValidator validator, String doc) {
    /** Checks the mandatory parts are present. */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(doc, "doc");
    }

    /** The default as the docs show it. */
    public String defaultText() {
        if (required) {
            return "(required)";
        }
        return defaultValue == null ? "null" : ConfigDef.format(defaultValue);
    }
}
