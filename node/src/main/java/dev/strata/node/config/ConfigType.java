package dev.strata.node.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The type of a configuration key: how its text form (from YAML, an environment variable or a flag)
 * is parsed, and how a value is written back as text (for docs and {@code strata config show}).
 * A parser throws {@link IllegalArgumentException} whose message says what was expected.
 */
public final class ConfigType<T> {
    public static final ConfigType<String> STRING = new ConfigType<>("string", s -> s, s -> s);

    public static final ConfigType<Integer> INT = new ConfigType<>("int", s -> {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer (32-bit)");
        }
    }, String::valueOf);

    public static final ConfigType<Long> LONG = new ConfigType<>("long", s -> {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer (64-bit)");
        }
    }, String::valueOf);

    public static final ConfigType<Boolean> BOOLEAN = new ConfigType<>("boolean", s -> {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw new IllegalArgumentException("expected true or false");
        }
    }, String::valueOf);

    /** Prometheus-style durations: one or more {@code <number><unit>}, units ms, s, m, h, d, w. */
    public static final ConfigType<Duration> DURATION =
            new ConfigType<>("duration", ConfigType::parseDuration, ConfigType::formatDuration);

    /** Byte sizes: a number with an optional unit B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (1024). */
    public static final ConfigType<Long> SIZE = new ConfigType<>("size", ConfigType::parseSize, ConfigType::formatSize);

    /** Comma-separated strings; blanks around items are trimmed, empty items dropped. */
    public static final ConfigType<List<String>> LIST = new ConfigType<>("list", ConfigType::splitList,
            l -> String.join(",", l));

    /** Comma-separated {@code host:port} endpoints. */
    public static final ConfigType<List<HostPort>> HOST_PORT_LIST = new ConfigType<>("host:port list", s -> {
        List<HostPort> out = new ArrayList<>();
        for (String item : splitList(s)) {
            out.add(HostPort.parse(item));
        }
        return List.copyOf(out);
    }, l -> l.stream().map(HostPort::toString).collect(Collectors.joining(",")));

    public static final ConfigType<Path> PATH = new ConfigType<>("path", s -> {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("expected a file system path, got an empty string");
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("expected a file system path: " + e.getReason());
        }
    }, Path::toString);

    private final String name;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private ConfigType(String name, Function<String, T> parser, Function<T, String> formatter) {
        this.name = name;
        this.parser = parser;
        this.formatter = formatter;
    }

    /** The name shown in docs, e.g. "duration". */
    public String name() {
        return name;
    }

    /** @throws IllegalArgumentException with a message saying what was expected */
    public T parse(String text) {
        return parser.apply(text);
    }

    public String format(T value) {
        return formatter.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    static Duration parseDuration(String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(s);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 1h30m (units ms, s, m, h, d, w)");
            }
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration number too large: " + m.group(1));
            }
            Duration part = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            total = total.plus(part);
            at = m.end();
        }
        if (at == 0) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 5m, 1h30m (units ms, s, m, h, d, w)");
        }
        return total;
    }

    /** Shortest exact form in the parser's syntax, e.g. 90s -> "1m30s", 1500ms -> "1s500ms". */
    static String formatDuration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        StringBuilder sb = new StringBuilder();
        long[] units = {7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
        String[] names = {"w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i]) {
                sb.append(ms / units[i]).append(names[i]);
                ms %= units[i];
            }
        }
        return sb.toString();
    }

    private static final Pattern SIZE_TEXT = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    static long parseSize(String text) {
        Matcher m = SIZE_TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as 1048576, 512KiB, 32MiB, 1GiB, 10MB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long mult = switch (unit) {
            case "B" -> 1L;
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            case "TB" -> 1000L * 1000 * 1000 * 1000;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            default -> 1L << 40; // TIB
        };
        try {
            return Math.multiplyExact(n, mult);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: " + text.trim());
        }
    }

    /** Largest exact binary unit: 33554432 -> "32MiB", 1000 -> "1000B". */
    static String formatSize(long bytes) {
        String[] names = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < names.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + names[i];
            }
        }
        return bytes + "B";
    }

    static List<String> splitList(String s) {
        List<String> out = new ArrayList<>();
        for (String item : s.split(",")) {
            String t = item.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }
}
