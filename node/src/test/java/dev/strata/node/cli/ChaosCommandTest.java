package dev.strata.node.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code strata chaos}'s usage errors name the option, before anything is started. */
class ChaosCommandTest {
    private static String usageError(String... args) {
        return assertThrows(UsageException.class, () -> new ChaosCommand().run(args)).getMessage();
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertTrue(usageError("--duration", "soon").contains("--duration"), usageError("--duration", "soon"));
        assertTrue(usageError("--duration", "0s").contains("--duration"));
        assertTrue(usageError("--seed", "x1").contains("--seed"));
        assertTrue(usageError("--nodes", "0").contains("--nodes"));
        assertTrue(usageError("--nodes", "2", "--replicas", "3").contains("--replicas"));
        assertTrue(usageError("--writers", "-1").contains("--writers"));
        assertTrue(usageError("--catch-up-timeout", "x").contains("--catch-up-timeout"));
        assertTrue(usageError("--bogus", "1").contains("--bogus"));
    }

    @Test
    void helpNamesEveryOption() {
        String help = new ChaosCommand().help();
        for (String o : new String[] {"--duration", "--seed", "--nodes", "--replicas", "--writers", "--data", "--catch-up-timeout"}) {
            assertTrue(help.contains(o), o);
        }
    }
}
