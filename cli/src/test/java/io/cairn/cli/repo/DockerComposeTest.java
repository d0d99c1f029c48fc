package io.cairn.cli.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** No Docker engine runs in CI, so this checks what can be checked: the files parse and point at real paths. */
class DockerComposeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void composeFileParsesAndReferencesExistingPaths() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKey("cairn");
        Map<String, Object> cairn = map(services.get("cairn"));

        Map<String, Object> build = map(cairn.get("build"));
        Path context = ROOT.resolve((String) build.get("context")).normalize();
        assertThat(context).isDirectory();
        assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();

        assertThat(list(cairn.get("ports"))).contains("7390:7390", "7391:7391");
        List<Object> volumes = list(cairn.get("volumes"));
        assertThat(volumes).hasSize(1);
        String volumeName = volumes.get(0).toString().split(":")[0];
        assertThat(map(compose.get("volumes"))).containsKey(volumeName);
    }

    @Test
    void dockerfileCopiesOnlyPathsThatExist() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher copy = Pattern.compile("^COPY\\s+(?!--from)(\\S+)\\s+\\S+\\s*$", Pattern.MULTILINE).matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            copies++;
            assertThat(ROOT.resolve(copy.group(1))).as("COPY source %s", copy.group(1)).exists();
        }
        assertThat(copies).isGreaterThan(0);
    }

    @SuppressWarnings("unchecked") // YAML mappings are untyped by nature
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }
}
