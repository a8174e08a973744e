package dev.strata.ingest.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prometheus 3's OTLP name translation (prometheus/otlptranslator: metric namer, unit namer, label namer).
 *
 * <p>Metric names, escaping strategy: the name is split into tokens at every character outside
 * [a-zA-Z0-9:] (so runs of '_' and '.' collapse); the unit's main part (before '/') is mapped (s ->
 * seconds, By -> bytes, 1 -> nothing, % -> percent, ...; unknown units are kept, units in {braces} dropped)
 * and its per part (after '/') becomes per_&lt;unit&gt; (s -> second, m -> minute, ...); each is appended
 * unless already a token; counters (monotonic cumulative sums) get {@code total} moved to the end;
 * gauges with unit "1" get {@code ratio}; tokens are joined with '_'; a leading digit gets a '_' prefix.
 * UTF-8 strategy: the name as is, with "_&lt;unit&gt;", "_per_&lt;unit&gt;", "_total"/"_ratio" appended
 * when not already its suffix.
 *
 * <p>Label names, escaping strategy: characters outside [a-zA-Z0-9_] become '_'; a leading digit gets
 * "key_", a single leading '_' gets "key" ("__" names stay). UTF-8 strategy: unchanged.
 */
final class OtlpNames {
    private OtlpNames() {}

    enum Kind { GAUGE, COUNTER, HISTOGRAM, SUMMARY }

    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
            Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
            Map.entry("1", ""), Map.entry("%", "percent"));
    private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute", "h", "hour", "d", "day",
            "w", "week", "mo", "month", "y", "year");

    static String metricName(String name, String unit, Kind kind, boolean utf8) {
        String[] units = unitSuffixes(unit);
        String main = units[0], per = units[1];
        if (utf8) return utf8MetricName(name, unit, kind, main, per);
        List<String> tokens = tokens(name, true);
        main = cleanUnit(main);
        per = cleanUnit(per);
        if (tokens.contains(main)) main = "";
        if (per.equals("per_")) {
            per = "";
        } else {
            per = trimTrailing(per);
            if (tokens.contains(per)) per = "";
        }
        if (!per.isEmpty()) main = trimTrailing(main);
        if (!main.isEmpty()) tokens.add(main);
        if (!per.isEmpty()) tokens.add(per);
        if (kind == Kind.COUNTER) {
            tokens.removeIf("total"::equals);
            tokens.add("total");
        }
        if ("1".equals(unit) && kind == Kind.GAUGE) {
            tokens.removeIf("ratio"::equals);
            tokens.add("ratio");
        }
        String out = String.join("_", tokens);
        if (!out.isEmpty() && Character.isDigit(out.charAt(0))) out = "_" + out;
        if (out.isEmpty() || out.chars().allMatch(c -> c == '_')) {
            throw new IllegalArgumentException("metric name \"" + name + "\" has no character Prometheus names can keep");
        }
        return out;
    }

    private static String utf8MetricName(String name, String unit, Kind kind, String main, String per) {
        String out = name;
        List<String> suffixes = new ArrayList<>();
        if ("1".equals(unit) && kind == Kind.GAUGE) {
            out = trimSuffix(out, "ratio");
            suffixes.add(0, "_ratio");
        }
        if (kind == Kind.COUNTER) {
            out = trimSuffix(out, "total");
            suffixes.add(0, "_total");
        }
        if (!per.isEmpty()) {
            out = trimSuffix(out, per);
            suffixes.add(0, "_" + per);
        }
        if (!main.isEmpty() && !out.endsWith(main)) out = out + "_" + main;
        for (String s : suffixes) out += s;
        return out;
    }

    /** Removes {@code suffix} and the one delimiter before it, when the name is longer than both. */
    private static String trimSuffix(String name, String suffix) {
        return name.endsWith(suffix) && name.length() > suffix.length() + 1
                ? name.substring(0, name.length() - suffix.length() - 1) : name;
    }

    /**
     * The unit as Prometheus 3 records it in metadata (otlptranslator's unit namer): the mapped main
     * unit and per-unit joined by '_' ("By/s" -> "bytes_per_second", "1" -> "", "{packets}" -> ""),
     * cleaned like a name's unit suffix under the escaping strategy, without leading or trailing '_'.
     */
    static String unit(String unit, boolean utf8) {
        String[] units = unitSuffixes(unit);
        String main = units[0], per = units[1];
        if (!utf8) {
            main = cleanUnit(main);
            per = cleanUnit(per);
        }
        String u = !main.isEmpty() && !per.isEmpty() ? main + "_" + per : !main.isEmpty() ? main : per;
        if (u.startsWith("_")) u = u.substring(1);
        if (u.endsWith("_")) u = u.substring(0, u.length() - 1);
        return u;
    }

    /** [main, per] suffixes of a UCUM unit, before character clean-up ("per_second", "" when absent). */
    static String[] unitSuffixes(String unit) {
        String main = "", per = "";
        String[] parts = unit.split("/", 2);
        String m = parts[0].trim();
        if (!m.isEmpty() && m.indexOf('{') < 0 && m.indexOf('}') < 0) main = UNITS.getOrDefault(m, m);
        if (parts.length > 1 && !parts[1].isEmpty()) {
            String p = parts[1].trim();
            if (!p.isEmpty() && p.indexOf('{') < 0 && p.indexOf('}') < 0) per = PER_UNITS.getOrDefault(p, p);
            if (!per.isEmpty()) per = "per_" + per;
        }
        return new String[] {main, per};
    }

    private static String cleanUnit(String unit) {
        StringBuilder b = new StringBuilder(unit.length());
        for (int i = 0; i < unit.length(); i++) {
            char c = unit.charAt(i);
            char r = isMetricChar(c) ? c : '_';
            if (r == '_' && b.length() > 0 && b.charAt(b.length() - 1) == '_') continue;
            b.append(r);
        }
        String s = b.toString();
        return s.startsWith("_") ? s.substring(1) : s;
    }

    private static String trimTrailing(String s) {
        return s.endsWith("_") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<String> tokens(String name, boolean colonAllowed) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= name.length(); i++) {
            boolean keep = i < name.length() && (isMetricChar(name.charAt(i)) && (colonAllowed || name.charAt(i) != ':'));
            if (keep && start < 0) start = i;
            if (!keep && start >= 0) {
                out.add(name.substring(start, i));
                start = -1;
            }
        }
        return out;
    }

    private static boolean isMetricChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
    }

    static String labelName(String name, boolean utf8) {
        if (name.isEmpty()) throw new IllegalArgumentException("an attribute with an empty key");
        if (utf8) return name;
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        String out = b.toString();
        if (Character.isDigit(out.charAt(0))) out = "key_" + out;
        else if (out.startsWith("_") && !out.startsWith("__")) out = "key" + out;
        if (!out.equals(name) && out.chars().allMatch(c -> c == '_')) {
            throw new IllegalArgumentException("attribute \"" + name + "\" has no character Prometheus label names can keep");
        }
        return out;
    }
}
