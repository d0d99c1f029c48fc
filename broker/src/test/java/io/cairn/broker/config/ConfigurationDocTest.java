package io.cairn.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps docs/configuration.md equal to what the registry generates. */
class ConfigurationDocTest {

    @Test
    void committedReferenceMatchesTheRegistry() throws IOException {
        Path doc = projectRoot().resolve("docs").resolve("configuration.md");
        String generated = ConfigDocGenerator.generate();
        if (Boolean.getBoolean("cairn.regenerateDocs")) {
            Files.writeString(doc, generated, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(doc)) {
            fail(doc + " is missing; generate it with: " + ConfigDocGenerator.REGENERATE_HINT);
        }
        String committed = Files.readString(doc, StandardCharsets.UTF_8);
        if (!committed.equals(generated)) {
            fail(doc + " differs from the config registry (first difference at line " + firstDifferentLine(committed, generated)
                    + "); regenerate it with: " + ConfigDocGenerator.REGENERATE_HINT);
        }
    }

    @Test
    void everyKeyIsDocumented() {
        String generated = ConfigDocGenerator.generate();
        for (ConfigKey<?> key : BrokerConfigKeys.DEF.keys()) {
            assertThat(generated).contains("`" + key.name() + "`");
        }
        for (ConfigKey<?> key : TopicConfigKeys.DEF.keys()) {
            assertThat(generated).contains("### " + key.name() + "\n");
        }
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return Math.min(x.length, y.length) + 1;
    }

    private static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("broker").resolve("pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
