package io.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.broker.testing.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The cli tests' broker fixture: an {@link EmbeddedBroker} in a temporary directory, started
 * before a test class's tests and closed (its directory deleted) after them, and {@code cairn}
 * commands run in-process against it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CliTesting cli = CliTesting.withBroker().groupTopic("shared", 3);
 *
 * cli.ok("topics", "list");                                   // cairn topics list --bootstrap <broker>
 * }</pre>
 *
 * <p>Used by one test thread; the broker lives as long as the test class.
 */
public final class CliTesting implements BeforeAllCallback, AfterAllCallback {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> groupTopics = new LinkedHashMap<>();
    private Path dir;
    private EmbeddedBroker broker;

    private CliTesting() {
    }

    /** A fixture that starts a standard broker with test defaults and no topics. */
    public static CliTesting withBroker() {
        return new CliTesting();
    }

    /**
     * Has {@code cairn topics create} make {@code name} with {@code partitions} before the tests,
     * then restarts the broker: the group coordinator takes its topic image at start, and until
     * topic admin tells it about new topics (GroupCoordinatorExtension.topicsChanged) a restart
     * makes it see them.
     */
    public CliTesting groupTopic(String name, int partitions) {
        groupTopics.put(name, partitions);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("cairn-cli-test-");
        broker = EmbeddedBroker.start(dir);
        groupTopics.forEach((name, partitions) -> ok("topics", "create", "--topic", name, "--partitions",
                Integer.toString(partitions)));
        if (!groupTopics.isEmpty()) {
            broker.restart();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    /** The running broker. */
    public EmbeddedBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker starts before the test class's tests (register CliTesting with "
                    + "@RegisterExtension on a static field)");
        }
        return broker;
    }

    /** The broker's {@code host:port}. */
    public String bootstrap() {
        return broker().bootstrap();
    }

    /** {@code cairn args... --bootstrap <broker>}. */
    public CommandRun run(String... args) {
        return CommandRun.cairn(withBootstrap(args));
    }

    /** {@code cairn args... --bootstrap <broker>} with {@code stdin} as standard input. */
    public CommandRun runWithInput(String stdin, String... args) {
        return CommandRun.cairnWithInput(stdin, withBootstrap(args));
    }

    /** Runs and checks the command succeeded. */
    public CommandRun ok(String... args) {
        return succeeded(run(args), args);
    }

    /** Runs with {@code stdin} and checks the command succeeded. */
    public CommandRun okWithInput(String stdin, String... args) {
        return succeeded(runWithInput(stdin, args), args);
    }

    private static CommandRun succeeded(CommandRun run, String... args) {
        if (run.exitCode() != 0) {
            throw new AssertionError("cairn " + String.join(" ", args) + " failed: " + run);
        }
        return run;
    }

    private String[] withBootstrap(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap");
        all.add(bootstrap());
        return all.toArray(String[]::new);
    }

    /** Parses one JSON document, failing the test when it is not valid JSON. */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + text, e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
