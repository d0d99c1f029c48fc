package io.cairn.broker.group;

/**
 * The state of a consumer group as KIP-848 defines it, derived from its members and epochs:
 * <ul>
 *   <li>{@link #EMPTY}: no members (the group may still hold committed offsets);</li>
 *   <li>{@link #ASSIGNING}: the group epoch is ahead of the target assignment epoch (a new target
 *       is due; transient in Cairn because the target is computed within the same operation);</li>
 *   <li>{@link #RECONCILING}: a target exists but some member has not reached it yet;</li>
 *   <li>{@link #STABLE}: every member owns exactly its target at the target epoch;</li>
 *   <li>{@link #DEAD}: the group does not exist (deleted or never created).</li>
 * </ul>
 */
public enum GroupState {
    EMPTY,
    ASSIGNING,
    RECONCILING,
    STABLE,
    DEAD;

    /** The name as Kafka's tools print it ("Empty", "Assigning", ...). */
    public String displayName() {
        String name = name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
