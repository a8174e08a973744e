package dev.strata.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md must be exactly what the declaration generates. */
class ConfigDocsTest {
    @Test
    void committedDocsMatchTheDeclaration() throws Exception {
        Path docs = Path.of(System.getProperty("strata.root", ".."), "docs", "configuration.md");
        assertTrue(Files.exists(docs), docs + " is missing: run bin/strata config docs > docs/configuration.md");
        String committed = Files.readString(docs, StandardCharsets.UTF_8);
        assertEquals(ConfigDocs.markdown(ConfigKeys.DEF), committed,
                "docs/configuration.md is out of date: run bin/strata config docs > docs/configuration.md");
    }

    @Test
    void everyKeyIsDocumented() {
        String md = ConfigDocs.markdown(ConfigKeys.DEF);
        for (ConfigKey<?> k : ConfigKeys.DEF.keys()) {
            assertTrue(md.contains("| `" + k.name() + "` | " + k.type().name() + " | `" + k.defaultText() + "` |"),
                    k.name());
            assertTrue(md.contains(k.doc()), k.name());
        }
    }
}
