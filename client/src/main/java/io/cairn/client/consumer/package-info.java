/**
 * The consumer: {@link io.cairn.client.consumer.CairnConsumer} reads assigned or group-given
 * partitions with pipelined fetches, and commits offsets for its group.
 */
package io.cairn.client.consumer;
