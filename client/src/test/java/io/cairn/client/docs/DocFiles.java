package io.cairn.client.docs;

import io.cairn.client.config.ConfigDef;
import io.cairn.client.config.ConfigKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@code docs/client.md} and the example sources, and renders the configuration tables. */
final class DocFiles {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CLIENT_DOC = ROOT.resolve("docs/client.md");
    static final Path EXAMPLES = ROOT.resolve("client/src/test/java/io/cairn/client/docs/ClientExamples.java");

    private DocFiles() {
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    /** The text between {@code start} and {@code end} markers, exclusive, or null. */
    static String between(String text, String start, String end) {
        int s = text.indexOf(start);
        if (s < 0) {
            return null;
        }
        int from = text.indexOf('\n', s) + 1;
        int e = text.indexOf(end, from);
        if (e < 0) {
            return null;
        }
        int to = text.lastIndexOf('\n', e) + 1;
        return text.substring(from, to);
    }

    /** A tagged snippet of the examples with its common indentation removed. */
    static String snippet(String source, String tag) {
        String body = between(source, "// tag::" + tag + "[]", "// end::" + tag + "[]");
        if (body == null) {
            return null;
        }
        int indent = Integer.MAX_VALUE;
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : body.split("\n")) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    /** The Markdown table documenting every key of {@code def}. */
    static String configTable(ConfigDef def) {
        StringBuilder out = new StringBuilder();
        out.append("| Key | Type | Default | Valid values | Description |\n");
        out.append("|---|---|---|---|---|\n");
        for (ConfigKey k : def.keys()) {
            String valid = k.validator().describe();
            out.append("| `").append(k.name()).append("` | ").append(k.type().name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ").append(k.defaultText().isEmpty() ? "\"\"" : k.defaultText())
                    .append(" | ").append(valid.isEmpty() ? "any" : valid)
                    .append(" | ").append(k.doc()).append(" |\n");
        }
        return out.toString();
    }
}
