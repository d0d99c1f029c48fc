package io.cairn.cli.common;

import picocli.CommandLine.Option;

/** The {@code --output text|json} option of list and describe commands. A picocli mixin. */
public final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            converter = OutputFormat.Converter.class,
            description = "text for people, or json: one document for scripts (fields in docs/cli.md). Default: ${DEFAULT-VALUE}.")
    private OutputFormat format = OutputFormat.TEXT;

    public OutputFormat format() {
        return format;
    }

    public boolean json() {
        return format == OutputFormat.JSON;
    }
}
