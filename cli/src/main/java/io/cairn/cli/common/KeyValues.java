package io.cairn.cli.common;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Checks on {@code --config k=v} style options. Stateless. */
public final class KeyValues {
    private KeyValues() {
    }

    /** Fails as a usage error when a key is empty, naming the option. */
    public static void requireKeys(CommandSpec spec, String option, Map<String, String> values) {
        for (String key : values.keySet()) {
            if (key.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        option + " needs KEY=VALUE, got an empty key");
            }
        }
    }
}
