package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("  node "), r.out());
        assertTrue(r.out().contains("  config "), r.out());
        Run sub = run("node", "--help");
        assertEquals(0, sub.code());
        assertTrue(sub.out().startsWith("Usage: strata node"), sub.out());
    }

    @Test
    void errorsExitWithTwoAndAClearMessage() {
        assertEquals(2, run("nonsense").code());
        Run bad = run("config", "show", "--set", "http.prot=1");
        assertEquals(2, bad.code());
        assertEquals("strata config: invalid configuration: unknown key 'http.prot' (command line); did you mean 'http.port'?\n",
                bad.err());
        Run usage = run("config", "show", "stray");
        assertEquals(2, usage.code());
        assertTrue(usage.err().startsWith("strata config: unexpected argument 'stray'"), usage.err());
    }
}
