package io.cairn.broker.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The valid values of a configuration key beyond its type: a range, a set of choices, a
 * non-empty string. Immutable and shareable.
 *
 * @param <T> the parsed value type
 */
public interface Constraint<T> {

    /**
     * Checks a parsed value.
     *
     * @return {@code null} when the value is valid, else why it is not
     */
    String check(T value);

    /** The valid values in words for the reference and error messages, e.g. {@code [1, 65535]}. */
    String describe();

    /** Accepts every value of the type. */
    static <T> Constraint<T> any() {
        return new Constraint<>() {
            @Override
            public String check(T value) {
                return null;
            }

            @Override
            public String describe() {
                return "";
            }
        };
    }

    /** One of a fixed set of strings, compared ignoring case; parsing canonicalizes the spelling. */
    static Constraint<String> oneOf(List<String> choices) {
        String text = String.join(", ", choices);
        return new Constraint<>() {
            @Override
            public String check(String value) {
                return choices.contains(value) ? null : "not one of " + text;
            }

            @Override
            public String describe() {
                return text;
            }
        };
    }

    /** A non-empty list whose items each are one of {@code choices}, without repetitions. */
    static Constraint<List<String>> nonEmptySubsetOf(List<String> choices) {
        String text = "non-empty list of " + String.join(", ", choices);
        return new Constraint<>() {
            @Override
            public String check(List<String> value) {
                if (value.isEmpty()) {
                    return "empty list; expected a " + text;
                }
                Set<String> seen = new LinkedHashSet<>();
                List<String> bad = new ArrayList<>();
                for (String item : value) {
                    if (!choices.contains(item)) {
                        bad.add(item);
                    } else if (!seen.add(item)) {
                        return "repeats " + item;
                    }
                }
                return bad.isEmpty() ? null : "unknown item(s) " + String.join(", ", bad) + "; expected a " + text;
            }

            @Override
            public String describe() {
                return text;
            }
        };
    }

    /** A string that is not empty or blank. */
    static Constraint<String> nonEmpty() {
        return new Constraint<>() {
            @Override
            public String check(String value) {
                return value.isBlank() ? "must not be empty" : null;
            }

            @Override
            public String describe() {
                return "non-empty";
            }
        };
    }

    /**
     * A host name (RFC 1123 labels), an IPv4 literal or an IPv6 literal; never resolved here, so
     * validation does not depend on DNS.
     */
    static Constraint<String> host(boolean allowEmpty) {
        Pattern label = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
        Pattern ipv6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
        return new Constraint<>() {
            @Override
            public String check(String value) {
                if (value.isEmpty()) {
                    return allowEmpty ? null : "must not be empty";
                }
                if (value.indexOf(':') >= 0) {
                    return ipv6.matcher(value).matches() ? null : "not a valid IPv6 address";
                }
                if (value.length() > 253) {
                    return "host name longer than 253 characters";
                }
                for (String part : value.split("\\.", -1)) {
                    if (!label.matcher(part).matches()) {
                        return "not a valid host name or IP address";
                    }
                }
                return null;
            }

            @Override
            public String describe() {
                return allowEmpty ? "host name, IP address or empty" : "host name or IP address";
            }
        };
    }
}
