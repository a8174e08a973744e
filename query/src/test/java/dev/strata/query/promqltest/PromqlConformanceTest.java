package dev.strata.query.promqltest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs Prometheus's PromQL test scripts (../shared/promqltest, never copied into the repo) and fails
 * if fewer evals pass than the floor in promqltest-floor.txt, or if any eval without native histograms fails. Set -Dpromqltest.verbose=true to print
 * each failing eval with expected vs actual.
 */
class PromqlConformanceTest {
    @Test
    void passesAtLeastTheFloor() throws IOException {
        String root = System.getProperty("strata.root", ".");
        Path dir = Path.of(root, "..", "shared", "promqltest");
        assumeTrue(Files.isDirectory(dir), "no conformance suite at " + dir);
        int floor;
        try (InputStream in = getClass().getResourceAsStream("/promqltest-floor.txt")) {
            floor = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Summary s = PromqlTestRunner.run(dir, out);
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertTrue(s.passed() >= floor, "promqltest passed " + s.passed() + " < floor " + floor + "\n" + report);
        // Every float-only eval passes; the failures left are native-histogram evals not supported yet.
        assertTrue(s.failed() == s.failedHistogram(), (s.failed() - s.failedHistogram()) + " float evals failed\n" + report);
    }
}
