package dev.strata.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTypeTest {
    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(30), ConfigType.DURATION.parse("30s"));
        assertEquals(Duration.ofMinutes(5), ConfigType.DURATION.parse("5m"));
        assertEquals(Duration.ofMillis(500), ConfigType.DURATION.parse("500ms"));
        assertEquals(Duration.ofMinutes(90), ConfigType.DURATION.parse("1h30m"));
        assertEquals(Duration.ofDays(14), ConfigType.DURATION.parse("2w"));
        assertEquals(Duration.ZERO, ConfigType.DURATION.parse("0"));
        for (String bad : new String[] {"", "30", "s", "5 m", "1.5s", "-1s", "5mm", "m5", "1h30"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConfigType.DURATION.parse(bad), bad);
            assertTrue(e.getMessage().contains("expected a duration"), e.getMessage());
        }
    }

    @Test
    void durationFormatRoundTrips() {
        for (String s : new String[] {"30s", "5m", "1h30m", "1s500ms", "2w", "1d1h", "0s"}) {
            assertEquals(s, ConfigType.DURATION.format(ConfigType.DURATION.parse(s)));
        }
        assertEquals("1m30s", ConfigType.DURATION.format(Duration.ofSeconds(90)));
    }

    @Test
    void sizes() {
        assertEquals(512L << 20, ConfigType.SIZE.parse("512MiB"));
        assertEquals(32L << 20, ConfigType.SIZE.parse("32MiB"));
        assertEquals(1L << 30, ConfigType.SIZE.parse("1GiB"));
        assertEquals(10_000_000L, ConfigType.SIZE.parse("10MB"));
        assertEquals(1024L, ConfigType.SIZE.parse("1024"));
        assertEquals(7L, ConfigType.SIZE.parse("7B"));
        assertEquals(2048L, ConfigType.SIZE.parse("2kib"));
        assertEquals("32MiB", ConfigType.SIZE.format(32L << 20));
        assertEquals("1000B", ConfigType.SIZE.format(1000L));
        for (String bad : new String[] {"", "MiB", "1.5GiB", "-1", "12XB", "99999999999TiB"}) {
            assertThrows(IllegalArgumentException.class, () -> ConfigType.SIZE.parse(bad), bad);
        }
    }

    @Test
    void scalars() {
        assertEquals(9090, ConfigType.INT.parse(" 9090 "));
        assertThrows(IllegalArgumentException.class, () -> ConfigType.INT.parse("3000000000"));
        assertEquals(3_000_000_000L, ConfigType.LONG.parse("3000000000"));
        assertEquals(true, ConfigType.BOOLEAN.parse("TRUE"));
        assertEquals(false, ConfigType.BOOLEAN.parse("false"));
        assertThrows(IllegalArgumentException.class, () -> ConfigType.BOOLEAN.parse("yes"));
        assertEquals(Path.of("a/b"), ConfigType.PATH.parse("a/b"));
        assertThrows(IllegalArgumentException.class, () -> ConfigType.PATH.parse(""));
        assertEquals(List.of("a", "b"), ConfigType.LIST.parse(" a, ,b "));
    }

    @Test
    void hostPortLists() {
        assertEquals(List.of(new HostPort("a", 1), new HostPort("::1", 9042)),
                ConfigType.HOST_PORT_LIST.parse("a:1, [::1]:9042"));
        assertEquals("a:1,[::1]:9042", ConfigType.HOST_PORT_LIST.format(ConfigType.HOST_PORT_LIST.parse("a:1,[::1]:9042")));
        for (String bad : new String[] {"a", "a:", ":1", "a:b", "a:70000", "::1:5", "[::1]"}) {
            assertThrows(IllegalArgumentException.class, () -> ConfigType.HOST_PORT_LIST.parse(bad), bad);
        }
    }
}
