package io.cairn.client.admin;

/**
 * A consumer group as {@link CairnAdmin#listGroups()} reports it.
 *
 * @param groupId the group id
 * @param state   {@code Empty}, {@code Assigning}, {@code Reconciling} or {@code Stable} (as Kafka's tools print them)
 */
public record ConsumerGroupListing(String groupId, String state) {
}
