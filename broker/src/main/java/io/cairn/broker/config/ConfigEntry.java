package io.cairn.broker.config;

/**
 * One effective configuration value as DescribeConfigs reports it.
 *
 * @param name   the key
 * @param value  the canonical text of the value
 * @param source where the value came from; {@link ConfigSource.Kind#DEFAULT} when not set anywhere
 */
public record ConfigEntry(String name, String value, ConfigSource source) {

    public boolean isDefault() {
        return source.kind() == ConfigSource.Kind.DEFAULT;
    }
}
