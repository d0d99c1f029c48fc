/**
 * The producer: {@link io.cairn.client.producer.CairnProducer} batches records per partition in a
 * record accumulator; its sender, on the network thread, ships them with retries and, by default,
 * idempotence.
 * Partitioning is Kafka-compatible ({@link io.cairn.client.producer.Murmur2}).
 */
package io.cairn.client.producer;
