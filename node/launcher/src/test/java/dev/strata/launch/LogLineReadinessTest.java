package dev.strata.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogLineReadinessTest {

    @Test
    void onlyOutputAfterTheOffsetCountsAndSplitMarkersAreFound(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, "old run: Kafka Server started\n");
        LogLineReadiness ready = new LogLineReadiness(log, Files.size(log), "Kafka Server started");
        assertFalse(ready.isReady(), "previous run's marker counted");
        Files.writeString(log, "new run: Kafka Ser", StandardOpenOption.APPEND);
        assertFalse(ready.isReady());
        Files.writeString(log, "ver started (kafka.server.KafkaRaftServer)\n", StandardOpenOption.APPEND);
        assertTrue(ready.isReady(), "marker split across two reads was missed");
    }

    @Test
    void logTailReadsTheLastLinesOfThisRun(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(log, "a\nb\n");
        long offset = Files.size(log);
        Files.writeString(log, "c\nd\ne\n", StandardOpenOption.APPEND);
        assertEquals("d\ne", LogTail.of(log, offset, 2));
        assertEquals("c\nd\ne", LogTail.of(log, offset, 10));
    }

    @Test
    void strataRootIsFoundUpwardsFromASubdirectory(@TempDir Path dir) throws Exception {
        Files.createFile(dir.resolve("mvnw"));
        Path deep = Files.createDirectories(dir.resolve("node/launcher/src"));
        assertEquals(dir.toRealPath(), StrataRoot.searchUpwards(deep).toRealPath());
    }

    @Test
    void aMissingClasspathFileIsNamed(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RuntimeClasspath.readFile(dir.resolve("missing.classpath")));
        assertTrue(e.getMessage().contains("missing.classpath"), e.getMessage());
    }

    @Test
    void aClasspathNamingAMissingJarIsRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runtime.classpath");
        Files.writeString(file, dir.resolve("gone.jar").toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RuntimeClasspath.readFile(file));
        assertTrue(e.getMessage().contains("gone.jar"), e.getMessage());
    }

    @Test
    void relativeClasspathEntriesBecomeAbsoluteAndWildcardsStay() {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals(cwd + "/node/target/strata-node.jar:" + cwd + "/node/target/lib/*:/abs/x.jar",
                JavaCommand.absolute("node/target/strata-node.jar:node/target/lib/*::/abs/x.jar"));
    }

    @Test
    void clusterIdsAreKafkaShaped() {
        for (int i = 0; i < 1000; i++) {
            String id = KafkaServer.newClusterId();
            assertEquals(22, id.length(), id);
            assertTrue(id.matches("[A-Za-z0-9_-]{22}") && !id.startsWith("-"), id);
        }
    }
}
