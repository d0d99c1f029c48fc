/**
 * Conversion between application objects and record bytes: {@link io.cairn.client.serialization.Serializer},
 * {@link io.cairn.client.serialization.Deserializer} and the built-in string, bytes, long and UUID
 * implementations (see {@link io.cairn.client.serialization.Serdes}).
 */
package io.cairn.client.serialization;
