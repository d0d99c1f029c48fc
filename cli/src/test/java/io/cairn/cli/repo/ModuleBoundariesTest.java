package io.cairn.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers honest (DESIGN.md "Modules"): a user embedding the client pulls only
 * {@code client} + {@code protocol}, and {@code protocol} stays free of Netty's transport.
 */
class ModuleBoundariesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void clientDependsOnlyOnProtocol() throws IOException {
        assertThat(importsOf("client", "io.cairn.broker", "io.cairn.storage", "io.cairn.cli")).isEmpty();
    }

    @Test
    void protocolUsesOnlyNettyBuffers() throws IOException {
        assertThat(importsOf("protocol", "io.cairn.storage", "io.cairn.broker", "io.cairn.client", "io.cairn.cli",
                "io.netty.channel", "io.netty.bootstrap", "io.netty.handler")).isEmpty();
    }

    @Test
    void storageKnowsNothingOfTheNetwork() throws IOException {
        assertThat(importsOf("storage", "io.cairn.broker", "io.cairn.client", "io.cairn.cli", "io.netty.channel")).isEmpty();
    }

    @Test
    void brokerDoesNotReachIntoClientOrCli() throws IOException {
        assertThat(importsOf("broker", "io.cairn.client", "io.cairn.cli")).isEmpty();
    }

    /** Returns "file: import" for every main-source import of {@code module} that starts with a forbidden prefix. */
    private static List<String> importsOf(String module, String... forbidden) throws IOException {
        assertThat(ROOT.resolve(module).resolve("pom.xml")).as("module %s", module).isRegularFile();
        Path sources = ROOT.resolve(module).resolve("src/main/java");
        List<String> violations = new ArrayList<>();
        if (!Files.isDirectory(sources)) {
            return violations;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    for (String prefix : forbidden) {
                        if (m.group(1).startsWith(prefix + ".")) {
                            violations.add(ROOT.relativize(file) + ": " + m.group(1));
                        }
                    }
                }
            }
        }
        return violations;
    }
}
