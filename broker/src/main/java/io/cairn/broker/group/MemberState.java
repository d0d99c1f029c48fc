package io.cairn.broker.group;

/**
 * Where a member stands in reconciling its current assignment toward its target.
 * <ul>
 *   <li>{@link #STABLE}: the member owns what it should at its epoch; if the target epoch has moved
 *       on, the next heartbeat reconciles it.</li>
 *   <li>{@link #UNREVOKED_PARTITIONS}: the member was asked to give up partitions and has not yet
 *       reported them gone; its epoch stays put until it does (or its rebalance timeout fences it).</li>
 *   <li>{@link #UNRELEASED_PARTITIONS}: the member is at the target epoch but some target partitions
 *       are still owned by other members; it gets them once they are released.</li>
 * </ul>
 * The numeric {@link #code()} is stored in {@code __consumer_offsets}; never renumber.
 */
public enum MemberState {
    STABLE((byte) 0),
    UNREVOKED_PARTITIONS((byte) 1),
    UNRELEASED_PARTITIONS((byte) 2);

    private final byte code;

    MemberState(byte code) {
        this.code = code;
    }

    public byte code() {
        return code;
    }

    /** The state stored as {@code code}, or null when the code is unknown (corrupt or newer record). */
    public static MemberState fromCode(byte code) {
        for (MemberState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        return null;
    }
}
