package io.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/cli.md stays true to the commands: every client command has a section naming each of its options. */
class CliDocTest {
    private static final Path DOC = Path.of("..", "docs", "cli.md");
    /** Options every client command shares; cli.md describes them once, under "Conventions". */
    private static final Set<String> SHARED = Set.of("--bootstrap", "--help", "--verbose", "--version");
    /** Commands documented elsewhere (operations.md). */
    private static final Set<String> ELSEWHERE = Set.of("broker");

    @Test
    void everyCommandAndOptionIsDocumented() throws IOException {
        String doc = Files.readString(DOC);
        List<String> paths = UsageTest.commandPaths();
        for (String path : paths) {
            CommandLine cmd = find(path);
            if (ELSEWHERE.contains(path.split(" ")[0]) || !cmd.getSubcommands().isEmpty()) {
                continue;
            }
            String heading = "### `cairn " + path + "`";
            assertThat(doc).as("docs/cli.md section for cairn %s", path).contains(heading);
            String section = section(doc, heading);
            for (OptionSpec option : cmd.getCommandSpec().options()) {
                if (!SHARED.contains(option.longestName())) {
                    assertThat(section).as("cairn %s option %s in docs/cli.md", path, option.longestName())
                            .containsPattern("(?<![\\w-])" + Pattern.quote(option.longestName()) + "(?![\\w-])");
                }
            }
            for (String shared : SHARED) {
                if (!shared.equals("--version")) {
                    assertThat(doc).contains("`" + shared.replace("--", "-" + shared.charAt(2) + ", --"));
                }
            }
        }
    }

    private static String section(String doc, String heading) {
        int start = doc.indexOf(heading);
        int next = doc.indexOf("\n## ", start + heading.length());
        int nextSub = doc.indexOf("\n### ", start + heading.length());
        int end = doc.length();
        for (int i : new int[] {next, nextSub}) {
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return doc.substring(start, end);
    }

    private static CommandLine find(String path) {
        CommandLine cmd = Cairn.commandLine();
        for (String name : path.split(" ")) {
            cmd = cmd.getSubcommands().get(name);
        }
        return cmd;
    }
}
