package io.cairn.broker.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found (not only the first), so an
 * operator fixes them in one round. The message lists them one per line.
 */
public final class ConfigException extends Exception {

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(message(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** A problem that is not about one key, e.g. an unreadable file. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    /** The problems, in the order found; empty when the whole source could not be read. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems.size() == 1) {
            return "invalid configuration: " + problems.get(0).describe();
        }
        StringBuilder sb = new StringBuilder("invalid configuration, ").append(problems.size()).append(" problems:");
        for (ConfigProblem p : problems) {
            sb.append("\n  - ").append(p.describe());
        }
        return sb.toString();
    }
}
