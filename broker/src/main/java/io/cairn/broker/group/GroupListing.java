package io.cairn.broker.group;

/** One group in a ListGroups answer. {@code protocolType} is always "consumer". */
public record GroupListing(String groupId, GroupState state, String protocolType) {
    public static final String CONSUMER_PROTOCOL = "consumer";
}
