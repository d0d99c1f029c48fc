package io.cairn.client.admin;

import java.util.Objects;

/**
 * Something with settings: a topic or a broker.
 *
 * @param type the kind of resource
 * @param name the topic name, or the broker id as text
 */
public record ConfigResource(Type type, String name) {
    /** The kinds of resource with settings. */
    public enum Type {
        /** A topic; the name is the topic name. */
        TOPIC,
        /** A broker; the name is its id. */
        BROKER
    }

    /** Checks both parts are present. */
    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    /** The topic {@code name}. */
    public static ConfigResource topic(String name) {
        return new ConfigResource(Type.TOPIC, name);
    }

    /** The broker with {@code id}. */
    public static ConfigResource broker(int id) {
        return new ConfigResource(Type.BROKER, Integer.toString(id));
    }
}
