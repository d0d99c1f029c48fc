package io.cairn.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Appends one line per finished suite run to {@code target/reliability-results.txt} (and prints
 * it), so a long run's figures survive the build output.
 */
final class Results {
    private Results() {
    }

    static void report(String suite, String line) {
        String text = Instant.now() + " " + suite + ": " + line + System.lineSeparator();
        System.out.print(text);
        try {
            Path file = Path.of("target", "reliability-results.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results of " + suite, e);
        }
    }
}
