package io.cairn.broker.group.shard;

import io.cairn.broker.group.record.MemberMetadataValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns member subscriptions (topic names and/or a java.util.regex pattern matched against whole
 * topic names; internal topics, named {@code __...}, only by name) into the set of existing topics
 * they cover, and hashes the topic metadata a group
 * depends on. Compiled patterns are cached (least recently used dropped beyond
 * {@value #MAX_CACHED_PATTERNS}). Confined to its shard's thread.
 */
final class SubscriptionResolver {

    static final int MAX_CACHED_PATTERNS = 1024;
    /** Internal topics ({@code __consumer_offsets}) are never matched by a regex, only by name. */
    static final String INTERNAL_TOPIC_PREFIX = "__";

    private final Map<String, Pattern> patterns = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
            return size() > MAX_CACHED_PATTERNS;
        }
    };

    /** The compiled pattern; throws PatternSyntaxException when {@code regex} does not compile. */
    Pattern pattern(String regex) throws PatternSyntaxException {
        Pattern pattern = patterns.get(regex);
        if (pattern == null) {
            pattern = Pattern.compile(regex);
            patterns.put(regex, pattern);
        }
        return pattern;
    }

    /** The existing topics {@code subscription} covers, in name order. */
    TreeSet<String> resolve(MemberMetadataValue subscription, TopicsImage topics) {
        TreeSet<String> out = new TreeSet<>();
        for (String name : subscription.subscribedTopicNames()) {
            if (topics.partitionCount(name) >= 0) {
                out.add(name);
            }
        }
        String regex = subscription.subscribedTopicRegex();
        if (regex != null && !regex.isEmpty()) {
            Pattern pattern = pattern(regex);
            for (String topic : topics.partitionCounts().keySet()) {
                if (!topic.startsWith(INTERNAL_TOPIC_PREFIX) && pattern.matcher(topic).matches()) {
                    out.add(topic);
                }
            }
        }
        return out;
    }

    /**
     * A 64-bit hash of the names and partition counts of the existing topics the group's members
     * subscribe to. Stable across JVMs (it is persisted): FNV-1a over the UTF-16 chars of each name
     * and the count, in name order, finished with a murmur3 mix.
     */
    long metadataHash(ConsumerGroup group, TopicsImage topics) {
        TreeSet<String> subscribed = new TreeSet<>();
        for (ConsumerGroupMember member : group.members().values()) {
            subscribed.addAll(resolve(member.subscription(), topics));
        }
        long hash = 0xcbf29ce484222325L;
        for (String topic : subscribed) {
            for (int i = 0; i < topic.length(); i++) {
                hash = (hash ^ topic.charAt(i)) * 0x100000001b3L;
            }
            hash = (hash ^ 0xff) * 0x100000001b3L;
            hash = (hash ^ topics.partitionCount(topic)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
