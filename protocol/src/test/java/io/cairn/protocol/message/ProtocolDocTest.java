package io.cairn.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.protocol.wire.ApiKey;
import io.cairn.protocol.wire.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** docs/protocol.md is what the generator makes of the schemas, and covers every API. */
class ProtocolDocTest {
    /** Surefire runs in the module directory; the document lives at the repository root. */
    private static final Path DOC = Paths.get("..").resolve(ProtocolDoc.PATH);

    @Test
    void committedDocumentMatchesTheSchemas() throws Exception {
        String generated = ProtocolDoc.render();
        if (Boolean.getBoolean("cairn.regenerateDocs")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(DOC)).as("%s is missing; regenerate it with -Dcairn.regenerateDocs=true", DOC).isTrue();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/protocol.md differs from the schemas; regenerate it: mvn -q test -pl protocol -am "
                        + "-Dtest=ProtocolDocTest -Dsurefire.failIfNoSpecifiedTests=false -Dcairn.regenerateDocs=true")
                .isEqualTo(generated);
    }

    @Test
    void everyApiKeyHasASpecAndATable() {
        String doc = ProtocolDoc.render();
        for (ApiKey key : ApiKey.values()) {
            assertThat(ApiSpecs.forKey(key).apiKey()).isEqualTo(key);
            assertThat(doc).contains("#### " + key.displayName() + " request v0", "#### " + key.displayName() + " response v0");
        }
        for (ErrorCode e : ErrorCode.values()) {
            assertThat(doc).contains("| " + e.code() + " | " + e.name() + " |");
        }
        assertThat(doc).contains("| `topics[].partitions[].records` | `records?` | 0+ |");
    }
}
