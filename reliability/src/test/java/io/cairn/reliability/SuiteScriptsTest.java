package io.cairn.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The option parsing the long-run scripts share (reliability/lib.sh): each option's value reaches
 * its system property, defaults fill in the rest, and anything else is a usage error. The scripts
 * run from a copy next to a stand-in run-suite.sh that prints its arguments one a line, so no
 * suite runs.
 */
class SuiteScriptsTest {
    private static final Path SCRIPTS = Path.of("").toAbsolutePath();
    private static final List<String> COPIED = List.of("lib.sh", "crash-loop.sh", "clean-restarts.sh", "recovery-speed.sh");

    @TempDir
    Path dir;

    @BeforeEach
    void copyScripts() throws IOException {
        for (String name : COPIED) {
            Files.copy(SCRIPTS.resolve(name), dir.resolve(name));
        }
        Path runSuite = Files.writeString(dir.resolve("run-suite.sh"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        assertThat(runSuite.toFile().setExecutable(true)).isTrue();
    }

    @Test
    void eachOptionReachesItsPropertyAndDefaultsFillTheRest() throws Exception {
        assertThat(run("crash-loop.sh", "--seed", "3", "--max-minutes", "9")).isEqualTo(new Run(0, List.of("CrashLoopTest",
                "-Dcairn.reliability.crashRounds=200", "-Dcairn.reliability.seed=3", "-Dcairn.reliability.maxMinutes=9"), ""));
        assertThat(run("crash-loop.sh", "--rounds", "5", "--rounds", "7")).isEqualTo(new Run(0, List.of("CrashLoopTest",
                "-Dcairn.reliability.crashRounds=7", "-Dcairn.reliability.seed=1", "-Dcairn.reliability.maxMinutes=0"), ""));
        assertThat(run("clean-restarts.sh", "--restarts", "4")).isEqualTo(new Run(0, List.of("CleanRestartTest",
                "-Dcairn.reliability.cleanRestarts=4", "-Dcairn.reliability.seed=8", "-Dcairn.reliability.maxMinutes=0"), ""));
        assertThat(run("recovery-speed.sh")).isEqualTo(new Run(0, List.of("RecoverySpeedTest",
                "-Dcairn.reliability.recoveryMiB=1024"), ""));
    }

    @Test
    void anUnknownOptionOrAMissingValueIsAUsageError() throws Exception {
        String crashLoopUsage = "usage: " + dir.resolve("crash-loop.sh") + " [--rounds N] [--seed S] [--max-minutes M]\n";
        assertThat(run("crash-loop.sh", "--restarts", "4")).isEqualTo(new Run(2, List.of(), crashLoopUsage));
        assertThat(run("crash-loop.sh", "--seed", "3", "--rounds")).isEqualTo(new Run(2, List.of(), crashLoopUsage));
        assertThat(run("clean-restarts.sh", "extra")).isEqualTo(new Run(2, List.of(),
                "usage: " + dir.resolve("clean-restarts.sh") + " [--restarts N] [--seed S] [--max-minutes M]\n"));
        assertThat(run("recovery-speed.sh", "--mib")).isEqualTo(new Run(2, List.of(),
                "usage: " + dir.resolve("recovery-speed.sh") + " [--mib N]\n"));
    }

    private Run run(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", dir.resolve(script).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s %s finished", script, List.of(args)).isTrue();
        return new Run(process.exitValue(), out.isEmpty() ? List.of() : List.of(out.split("\n")), err);
    }

    /** What one script run printed: exit code, standard output lines, standard error. */
    private record Run(int exitCode, List<String> out, String err) {
    }
}
