package dev.strata.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongOptionsTest {
    private static final Set<String> ALLOWED = Set.of("data", "port");

    @Test
    void bothSpellingsAndDefaults() {
        LongOptions o = LongOptions.parse(new String[] {"--data", "/tmp/x", "--port=19092"}, ALLOWED);
        assertEquals(Path.of("/tmp/x"), o.path("data", Path.of("data")));
        assertEquals(19092, o.port("port", 9092));
        LongOptions none = LongOptions.parse(new String[0], ALLOWED);
        assertEquals(9092, none.port("port", 9092));
        assertFalse(none.has("data"));
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("unknown option --prot", "--prot", "1");
        assertMessage("option --port needs a value", "--port");
        assertMessage("option --port given twice", "--port", "1", "--port", "2");
        assertMessage("unexpected argument 'extra'", "extra");
        assertMessage("option --port must be a port number 1..65535, got 'http'", "--port", "http");
        assertMessage("option --port must be a port number 1..65535, got '70000'", "--port", "70000");
        assertMessage("option --data needs a non-empty path", "--data=");
    }

    private static void assertMessage(String expected, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> {
            LongOptions o = LongOptions.parse(args, ALLOWED);
            o.port("port", 1);
            o.path("data", null);
        });
        assertEquals(expected, e.getMessage());
    }
}
