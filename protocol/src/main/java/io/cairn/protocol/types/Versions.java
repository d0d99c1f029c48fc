package io.cairn.protocol.types;

/**
 * An inclusive range of API versions in which a field exists (or which an API supports).
 * Immutable; shared freely.
 *
 * @param lowest  first version, 0 or more
 * @param highest last version, at most {@link #MAX}
 */
public record Versions(int lowest, int highest) {
    /** The largest version number the u16 version field of a request header can carry. */
    public static final int MAX = 0xFFFF;
    /** Every version: the field has existed since the API's first version. */
    public static final Versions ALL = new Versions(0, MAX);

    public Versions {
        if (lowest < 0 || highest > MAX || lowest > highest) {
            throw new IllegalArgumentException("invalid version range " + lowest + ".." + highest);
        }
    }

    /** Versions {@code lowest} and later. */
    public static Versions since(int lowest) {
        return new Versions(lowest, MAX);
    }

    /** Versions {@code lowest} to {@code highest}, both included. */
    public static Versions range(int lowest, int highest) {
        return new Versions(lowest, highest);
    }

    /** Whether {@code version} lies in this range. */
    public boolean contains(int version) {
        return version >= lowest && version <= highest;
    }

    /** {@code "0+"}, {@code "2"} or {@code "1-3"}, as in the protocol tables. */
    @Override
    public String toString() {
        if (highest == MAX) {
            return lowest + "+";
        }
        return lowest == highest ? Integer.toString(lowest) : lowest + "-" + highest;
    }
}
