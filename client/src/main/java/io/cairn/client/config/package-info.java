/**
 * Client settings: a {@link io.cairn.client.config.ConfigDef} registry per client kind that declares
 * every Kafka-style key once (type, default, valid range, doc line), validates what users give, and
 * feeds the configuration tables in {@code docs/client.md}.
 */
package io.cairn.client.config;
