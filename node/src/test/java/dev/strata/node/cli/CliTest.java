package dev.strata.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.config.ConfigDocs;
import dev.strata.node.config.ConfigException;
import dev.strata.node.config.ConfigKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CliTest {
    @Test
    void configOptionsAcceptEveryFlagForm() {
        ConfigOptions o = ConfigOptions.parse(new String[] {"--config", "n.yaml", "--set", "a.b=1", "--set=c=2",
                "--kafka.bootstrap=h:1", "--shards", "4"});
        assertEquals(Optional.of(Path.of("n.yaml")), o.file());
        assertEquals(List.of("a.b=1", "c=2", "kafka.bootstrap=h:1", "shards=4"), o.assignments());
        assertEquals(Optional.of(Path.of("x.yaml")), ConfigOptions.parse(new String[] {"--config=x.yaml"}).file());
    }

    @Test
    void malformedFlagsAreUsageErrors() {
        assertThrows(UsageException.class, () -> ConfigOptions.parse(new String[] {"--config"}));
        assertThrows(UsageException.class, () -> ConfigOptions.parse(new String[] {"--set", "novalue"}));
        assertThrows(UsageException.class, () -> ConfigOptions.parse(new String[] {"--shards"}));
        assertThrows(UsageException.class, () -> ConfigOptions.parse(new String[] {"positional"}));
    }

    @Test
    void inspectCompressionChunkLengthOptionIsChecked() throws Exception {
        InspectCommand c = new InspectCommand();
        Path file = java.nio.file.Files.createTempFile("inspect", ".jsonl.gz");
        try {
            String f = file.toString();
            assertThrows(UsageException.class, () -> c.run(new String[] {"compression", f, "--max-samples", "5"}));
            assertTrue(assertThrows(UsageException.class, () -> c.run(new String[] {"compression", f, "--max-samples-per-chunk", "x"}))
                    .getMessage().contains("is not a number"));
            assertTrue(assertThrows(UsageException.class, () -> c.run(new String[] {"compression", f, "--max-samples-per-chunk", "0"}))
                    .getMessage().contains("must be in [1, 1048576], got 0"));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void configShowPrintsValuesAndOrigins() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConfigCommand c = new ConfigCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Map.of("STRATA_SHARDS", "16"));
        assertEquals(0, c.run(new String[] {"show", "--http.port=9191"}));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("http.port = 9191    # command line\n"), out);
        assertTrue(out.contains("shards = 16    # environment variable STRATA_SHARDS\n"), out);
        assertTrue(out.contains("http.max-request-bytes = 32MiB    # default\n"), out);
        assertEquals(ConfigKeys.DEF.keys().size(), out.split("\n").length);
    }

    @Test
    void configShowFailsOnBadValues() {
        ConfigCommand c = new ConfigCommand(new PrintStream(new ByteArrayOutputStream()), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> c.run(new String[] {"show", "--set", "shards=x"}));
        assertEquals(List.of("invalid value 'x' for key 'shards' (command line): expected an integer (32-bit)"), e.problems());
        assertThrows(UsageException.class, () -> c.run(new String[] {"bogus"}));
        assertThrows(UsageException.class, () -> c.run(new String[] {}));
    }

    @Test
    void configDocsPrintsTheReference() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConfigCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8), Map.of()).run(new String[] {"docs"});
        assertEquals(ConfigDocs.markdown(ConfigKeys.DEF), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nodeCommandRejectsBadConfigurationBeforeStartingAnything() {
        NodeCommand node = new NodeCommand(Map.of("STRATA_HTTP_PORT", "-1"));
        ConfigException e = assertThrows(ConfigException.class, () -> node.run(new String[] {}));
        assertTrue(e.getMessage().contains("'http.port' (environment variable STRATA_HTTP_PORT)"), e.getMessage());
        assertTrue(node.help().contains("--config FILE"));
    }
}
