package io.cairn.broker.produce;

/** How much a produce waits for before it is answered. */
public enum Acks {
    /** No answer at all (fire and forget); errors are only logged. */
    NONE,
    /** Answered once the batch is in the log (page cache). */
    LEADER,
    /** Answered once the batch is forced to disk (group commit). */
    ALL;

    /** The wire value: 0, 1 or -1; null for anything else. */
    public static Acks fromWire(int acks) {
        return switch (acks) {
            case 0 -> NONE;
            case 1 -> LEADER;
            case -1 -> ALL;
            default -> null;
        };
    }
}
