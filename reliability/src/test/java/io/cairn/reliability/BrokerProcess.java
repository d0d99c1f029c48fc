package io.cairn.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * One Cairn broker run as a child JVM ({@code java -cp <test classpath> io.cairn.cli.Cairn broker}),
 * the way an operator runs it, so that it can be killed with SIGKILL and restarted on the same data
 * directory and the same ports.
 *
 * <p>The ports are picked once (free at that moment) and kept across restarts, because clients must
 * find the broker again where they left it; a start that loses the port to another process's bind
 * in the meantime is retried a few times. Each run writes its own log file
 * ({@code broker-<run>.log} under the log directory, normally under {@code target/}) so that a
 * test can check what one particular start logged; the log files are kept after the test.
 *
 * <p>Not thread-safe: one test thread starts, stops and kills it; {@link #isAlive()} and the
 * accessors may be read from any thread.
 */
public final class BrokerProcess implements AutoCloseable {
    /** The child's heap: small on purpose, record data is never on the heap. */
    public static final String HEAP = "-Xmx256m";
    /** Generous: on a machine shared with other builds a JVM can take tens of seconds to start. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern STARTED_IN = Pattern.compile(" listening on .* started in (\\d+) ms");
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int BIND_ATTEMPTS = 5;
    /** Exit value the JVM reports for a child killed by SIGKILL (128 + 9). */
    static final int SIGKILL_EXIT = 137;

    private final Path dataDir;
    private final Path logDir;
    private final Map<String, String> settings;
    private final int port;
    private final int metricsPort;
    private final List<Duration> startTimes = Collections.synchronizedList(new ArrayList<>());
    private volatile Process process;
    private volatile int runs;

    private BrokerProcess(Path dataDir, Path logDir, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.settings = Map.copyOf(settings);
        this.port = FreePorts.pick();
        this.metricsPort = FreePorts.pick();
    }

    /**
     * A broker (not yet started) on {@code dataDir}, logging to files in {@code logDir}, with the
     * given broker settings ({@code --set key=value}) on top of its defaults.
     */
    public static BrokerProcess create(Path dataDir, Path logDir, Map<String, String> settings) {
        return new BrokerProcess(dataDir, logDir, new LinkedHashMap<>(settings));
    }

    /** A log directory under {@code target/broker-logs/<name>}, emptied first, for {@link #create}. */
    public static Path logDirFor(String name) {
        Path dir = Path.of("target", "broker-logs", name).toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker log directory " + dir, e);
        }
        return dir;
    }

    /**
     * Starts the broker and returns once {@code /health} answers 200 (it serves clients) and the run
     * has logged its {@code listening on ... started in N ms} line. Returns
     * the time from spawning the JVM to serving (also kept in {@link #startTimes()}).
     */
    public Duration start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("broker already running (pid " + process.pid() + ") on " + dataDir);
        }
        for (int attempt = 1; ; attempt++) {
            long startNs = System.nanoTime();
            Process p = spawn();
            try {
                awaitServing(p);
                Duration took = Duration.ofNanos(System.nanoTime() - startNs);
                startTimes.add(took);
                return took;
            } catch (RuntimeException | AssertionError e) {
                boolean lostPort = !p.isAlive() && logOf(runs).contains("Address already in use");
                p.destroyForcibly();
                waitForExit(p);
                if (!lostPort || attempt == BIND_ATTEMPTS) {
                    throw new IllegalStateException("broker run " + runs + " on " + dataDir + " did not start serving"
                        + " within " + START_TIMEOUT + "; log " + logFile(runs) + " ends with:\n" + tail(runs, 40), e);
                }
            }
        }
    }

    private Process spawn() {
        runs++;
        List<String> command = new ArrayList<>(List.of(javaBinary(), HEAP, "-XX:+ExitOnOutOfMemoryError",
            "-Dlogback.configurationFile=cairn-broker-process-logback.xml",
            "-cp", classpath(), "io.cairn.cli.Cairn", "broker",
            "--data-dir", dataDir.toString(), "--host", "127.0.0.1",
            "--port", Integer.toString(port), "--metrics-port", Integer.toString(metricsPort)));
        settings.forEach((k, v) -> {
            command.add("--set");
            command.add(k + "=" + v);
        });
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(logFile(runs).toFile());
        // CAIRN_* variables of the test's environment would become broker settings
        builder.environment().keySet().removeIf(k -> k.startsWith("CAIRN_"));
        try {
            Process p = builder.start();
            process = p;
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start broker JVM: " + command, e);
        }
    }

    private void awaitServing(Process p) {
        await("broker run " + runs + " (pid " + p.pid() + ") serving on port " + port)
            .atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
            .until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("broker exited with " + p.exitValue() + " before serving");
                }
                // the start-up line is logged just after /health turns 200: wait for both, so that a
                // caller reading this run's log finds it
                return healthy() && reportedStartTime(runs).isPresent();
            });
    }

    /** True if {@code /health} answers 200 now. */
    public boolean healthy() {
        try {
            URL url = new URI("http://127.0.0.1:" + metricsPort + "/health").toURL();
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SIGKILL: {@link Process#destroyForcibly()} is SIGKILL on Linux; checked through the exit
     * value 137 (128 + 9), so a JVM that ran its shutdown hooks (SIGTERM, 143) cannot pass for one.
     */
    public void kill9() {
        Process p = requireRunning();
        p.destroyForcibly();
        int exit = waitForExit(p);
        if (exit != SIGKILL_EXIT) {
            throw new IllegalStateException("broker pid " + p.pid() + " exited with " + exit + " after SIGKILL, expected "
                + SIGKILL_EXIT);
        }
    }

    /**
     * SIGTERM ({@link Process#destroy()}) and waits for the JVM to exit; returns its exit value (143
     * after the broker's shutdown hook ran).
     */
    public int stop() {
        Process p = requireRunning();
        p.destroy();
        return waitForExit(p);
    }

    private Process requireRunning() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException("broker on " + dataDir + " is not running");
        }
        return p;
    }

    private static int waitForExit(Process p) {
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new IllegalStateException("broker pid " + p.pid() + " did not exit within " + STOP_TIMEOUT
                    + "; killed");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for broker pid " + p.pid(), e);
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        return requireRunning().pid();
    }

    public int port() {
        return port;
    }

    public int metricsPort() {
        return metricsPort;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Number of JVMs started so far; the current (or last) run is this number. */
    public int runs() {
        return runs;
    }

    /** Spawn-to-serving time of every successful start, in order. */
    public List<Duration> startTimes() {
        synchronized (startTimes) {
            return List.copyOf(startTimes);
        }
    }

    public Path logFile(int run) {
        return logDir.resolve("broker-" + run + ".log");
    }

    /**
     * The start-up time run {@code run} reported itself ({@code listening on ... started in N ms}: from
     * its {@code main} to serving, without the JVM's own start), or empty if it did not get there.
     */
    public Optional<Duration> reportedStartTime(int run) {
        Matcher m = STARTED_IN.matcher(logOf(run));
        return m.find() ? Optional.of(Duration.ofMillis(Long.parseLong(m.group(1)))) : Optional.empty();
    }

    /** Everything run {@code run} logged so far (empty if it logged nothing). */
    public String logOf(int run) {
        try {
            Path f = logFile(run);
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile(run), e);
        }
    }

    /** The last {@code lines} lines run {@code run} logged, to attach to a failure. */
    public String tail(int run, int lines) {
        List<String> all = logOf(run).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Kills a broker still running (a test that failed half-way); the log files stay. */
    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            waitForExit(p);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The test's runtime classpath. Surefire may hand the test JVM a manifest-only jar as
     * {@code java.class.path}; then the real entries are that jar's {@code Class-Path}.
     */
    static String classpath() {
        String cp = System.getProperty("java.class.path");
        String[] entries = cp.split(java.io.File.pathSeparator);
        if (entries.length != 1 || !entries[0].endsWith(".jar")) {
            return cp;
        }
        Path jar = Path.of(entries[0]).toAbsolutePath();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return cp;
            }
            URI base = jar.toUri();
            List<String> paths = new ArrayList<>();
            for (String entry : classPath.trim().split("\\s+")) {
                paths.add(Path.of(base.resolve(new URI(entry))).toString());
            }
            return String.join(java.io.File.pathSeparator, paths);
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the classpath from the manifest of " + jar, e);
        }
    }

    static {
        // fail early and clearly if the broker's main class is not on the classpath the child gets
        try {
            Class.forName("io.cairn.cli.Cairn", false, BrokerProcess.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError("io.cairn.cli.Cairn is not on the test classpath");
        }
    }
}
