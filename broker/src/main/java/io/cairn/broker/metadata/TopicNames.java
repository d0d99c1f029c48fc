package io.cairn.broker.metadata;

/**
 * Topic name rules (Kafka's): 1 to 249 characters of {@code [a-zA-Z0-9._-]}, not {@code .} or
 * {@code ..}. Names starting with {@code __} are internal: only the broker creates them and nobody
 * deletes them. Stateless.
 */
public final class TopicNames {

    /** Longest topic name; leaves room for {@code -<partition>} and suffixes in a 255-byte file name. */
    public static final int MAX_LENGTH = 249;

    /** Prefix reserved for the broker's own topics. */
    public static final String INTERNAL_PREFIX = "__";

    /** The internal topic holding committed offsets and group metadata. */
    public static final String CONSUMER_OFFSETS = "__consumer_offsets";

    private TopicNames() {
    }

    /**
     * Checks a name.
     *
     * @return {@code null} when valid, else why not (naming the offending character)
     */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            return "topic name is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "topic name has " + name.length() + " characters, at most " + MAX_LENGTH + " are allowed";
        }
        if (name.equals(".") || name.equals("..")) {
            return "topic name cannot be \"" + name + "\"";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return "topic name \"" + name + "\" has character '" + c + "' at index " + i
                        + "; allowed are ASCII letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }

    public static boolean isValid(String name) {
        return validate(name) == null;
    }

    public static boolean isInternal(String name) {
        return name.startsWith(INTERNAL_PREFIX);
    }
}
