package dev.strata.query.distributed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/format/select.md names the codec's class and the versions it reads and writes (it once said "Version 1" only). */
class SelectFormatDocTest {
    @Test
    void theDocNamesTheCodeAndItsVersions() throws Exception {
        String doc = Files.readString(Path.of(System.getProperty("strata.root", "..")).resolve("docs/format/select.md"));
        assertTrue(doc.contains("`" + SelectCodec.class.getName() + "`"), "the doc names " + SelectCodec.class.getName());
        assertTrue(doc.contains("Request version " + SelectCodec.REQUEST_VERSION_2 + "; response versions 1 to " + SelectCodec.RESPONSE_VERSION_6),
                "the doc states the request and response versions");
    }
}
