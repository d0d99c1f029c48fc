/**
 * The Cairn Java client: {@link io.cairn.client.producer.CairnProducer},
 * {@link io.cairn.client.consumer.CairnConsumer} and {@link io.cairn.client.admin.CairnAdmin}, plus the
 * small value types they share ({@link io.cairn.client.TopicPartition}, {@link io.cairn.client.Headers}).
 * See {@code docs/client.md}.
 */
package io.cairn.client;
