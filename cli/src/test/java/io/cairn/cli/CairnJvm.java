package io.cairn.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs {@code cairn} in a JVM of its own on the test class path, for tests
 * that need what only a separate process shows (signals, exit codes, log lines). Stateless.
 */
public final class CairnJvm {
    private CairnJvm() {
    }

    /** {@code java <jvmOptions> -cp <test class path> io.cairn.cli.Cairn <args>}. */
    public static List<String> command(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Cairn.class.getName());
        command.addAll(args);
        return command;
    }

    /**
     * The JVM option that makes the process log with the cli's own logback.xml, not a test
     * configuration that happens to be on the class path.
     */
    public static String cliLogging() {
        return "-Dlogback.configurationFile=" + cliLogbackXml();
    }

    private static Path cliLogbackXml() {
        try {
            Path classes = Path.of(Cairn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path config = classes.resolve("logback.xml");
            if (!Files.exists(config)) {
                throw new IllegalStateException("no logback.xml next to " + classes);
            }
            return config;
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
