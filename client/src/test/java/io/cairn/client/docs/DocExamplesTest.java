package io.cairn.client.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.client.admin.AdminConfig;
import io.cairn.client.config.ConfigDef;
import io.cairn.client.consumer.ConsumerConfig;
import io.cairn.client.producer.ProducerConfig;
import io.cairn.client.producer.RecordMetadata;
import io.cairn.client.testing.FakeBroker;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/client.md} true: its code examples are the tagged parts of {@link ClientExamples}
 * (which must compile and run), and its configuration tables list every key with its real default.
 * Run with {@code -Dcairn.updateDocs=true} to rewrite the tables from the registries.
 */
class DocExamplesTest {
    @Test
    void docExamplesAreTheCompiledExamples() throws Exception {
        String doc = DocFiles.read(DocFiles.CLIENT_DOC);
        String source = DocFiles.read(DocFiles.EXAMPLES);
        for (String tag : List.of("producer", "consumer")) {
            String snippet = DocFiles.snippet(source, tag);
            assertThat(snippet).as("tagged snippet %s in ClientExamples", tag).isNotNull().isNotBlank();
            String fenced = DocFiles.between(doc, "<!-- example:" + tag + " -->", "<!-- /example:" + tag + " -->");
            assertThat(fenced).as("example %s in docs/client.md", tag).isNotNull();
            assertThat(fenced).isEqualTo("```java\n" + snippet + "```\n");
        }
    }

    @Test
    void examplesRun() {
        try (FakeBroker broker = new FakeBroker(Map.of("orders", 1))) {
            RecordMetadata last = ClientExamples.produce(broker.bootstrap(), 100);
            assertThat(last.offset()).isEqualTo(99);
            List<String> seen = ClientExamples.consume(broker.bootstrap(), 100);
            assertThat(seen).hasSize(100);
            assertThat(seen.get(0)).isEqualTo("0 customer-0 order 0");
            assertThat(seen.get(99)).isEqualTo("99 customer-9 order 99");
        }
    }

    @Test
    void configTablesMatchTheRegistries() throws Exception {
        String doc = DocFiles.read(DocFiles.CLIENT_DOC);
        Map<String, ConfigDef> defs = Map.of("producer", ProducerConfig.DEF, "consumer", ConsumerConfig.DEF,
                "admin", AdminConfig.DEF);
        if (Boolean.getBoolean("cairn.updateDocs")) {
            for (Map.Entry<String, ConfigDef> e : defs.entrySet()) {
                String start = "<!-- config:" + e.getKey() + " -->";
                String end = "<!-- /config:" + e.getKey() + " -->";
                String old = DocFiles.between(doc, start, end);
                if (old != null) {
                    doc = doc.replace(start + "\n" + old + end, start + "\n" + DocFiles.configTable(e.getValue()) + end);
                }
            }
            Files.writeString(DocFiles.CLIENT_DOC, doc);
        }
        for (Map.Entry<String, ConfigDef> e : defs.entrySet()) {
            String table = DocFiles.between(doc, "<!-- config:" + e.getKey() + " -->", "<!-- /config:" + e.getKey() + " -->");
            assertThat(table).as("config table for %s in docs/client.md", e.getKey())
                    .isEqualTo(DocFiles.configTable(e.getValue()));
        }
    }
}
