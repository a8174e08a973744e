package dev.strata.node.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's short form: about 2.5 minutes of faults (SIGKILL/SIGSTOP of the nodes, Kafka and
 * Cassandra, a node restarted with another flush.groups, and membership faults on the dynamic cluster:
 * the first fault is always a second node joining, later ones may make one leave or crash) under three
 * remote-write clients, against real processes, then every acknowledged sample must be read back exactly
 * once with its value. The seed is
 * random and printed (rerun with -Dchaos.seed=N, or {@code bin/strata chaos --duration 150s --seed N}).
 */
class FaultSuiteTest {
    @Test
    void everyAcknowledgedSampleSurvivesTheFaultsExactlyOnce() throws Exception {
        long seed = Long.getLong("chaos.seed", new java.security.SecureRandom().nextLong());
        System.err.println("FaultSuiteTest seed=" + seed + " (rerun with -Dchaos.seed=" + seed + ")");
        Path data = Files.createTempDirectory("strata-chaos-test-");
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeStream(System.out, copy), true, StandardCharsets.UTF_8);
        FaultSuite.Result r = FaultSuite.run(new FaultSuite.Options(Duration.ofSeconds(150), seed, 1, 1, 3, data,
                Duration.ofMinutes(4), Duration.ofMinutes(8), out));
        String printed = copy.toString(StandardCharsets.UTF_8);
        ExactlyOnceCheck.Report t = r.total();
        assertTrue(r.faults() >= 2, "at least two faults injected (a restart can take a minute on a loaded machine), got " + r.faults() + "\n" + printed);
        assertTrue(r.membershipFaults() >= 1, "at least one membership fault (the first is a join)\n" + printed);
        assertTrue(t.acknowledged() > 3_000, "acknowledged samples: " + t.acknowledged() + "\n" + printed);
        assertTrue(r.problems().isEmpty(), "problems: " + r.problems() + " (data in " + data + ")");
        assertEquals(0, r.logLost(), "no fault of this suite makes Kafka lose records (data in " + data + ")");
        assertEquals(0, t.missing(), "lost: " + t + " (data in " + data + ")");
        assertEquals(0, t.duplicated(), "duplicated: " + t + " (data in " + data + ")");
        assertEquals(0, t.wrongValue(), "wrong values: " + t + " (data in " + data + ")");
        assertEquals(0, t.unexpected(), "never sent: " + t + " (data in " + data + ")");
        assertEquals(t.acknowledged(), t.checked() - r.byWindow().getOrDefault(FaultSuite.NOT_ACKNOWLEDGED,
                new ExactlyOnceCheck.Report(0, 0, 0, 0, 0, 0, java.util.List.of())).checked(), "every acknowledged sample read once");
        assertTrue(printed.contains("chaos: PASS"), printed);
        try (var paths = Files.walk(data)) { // kept when an assertion failed, for the logs
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Writes to two streams (the console, and a copy the assertions quote). */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
