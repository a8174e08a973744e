package dev.strata.query.promqltest;

import dev.strata.query.parser.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a promqltest script into commands (see the README of the shared test suite). */
final class Script {
    private Script() {}

    sealed interface Command permits Load, Clear, Eval {}

    record Load(int line, long stepMs, boolean withNhcb, List<SeriesSpec> series) implements Command {}

    record Clear(int line) implements Command {}

    /** An expectation line: kind fail/warn/info/no_warn/no_info/ordered with optional msg or regex. */
    record Expect(String kind, String msg, Pattern regex) {}

    record Eval(int line, String expr, boolean range, long start, long end, long step, List<Expect> expects,
                List<SeriesSpec> results, Double scalar, String string, boolean rangeVector, long rvFrom, long rvTo,
                long rvStep, boolean hasHistograms) implements Command {
        boolean expects(String kind) {
            for (Expect e : expects) if (e.kind().equals(kind)) return true;
            return false;
        }
    }

    private static final Pattern INSTANT = Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern RANGE = Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
    private static final Pattern EXPECT = Pattern.compile("^expect\\s+(fail|warn|info|no_warn|no_info|ordered)(?:\\s+(msg|regex):\\s*(.*))?$");
    private static final Pattern RANGE_VECTOR = Pattern.compile("^expect\\s+range\\s+vector\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)$");
    private static final Pattern STRING = Pattern.compile("^expect\\s+string\\s+(.*)$");

    static long time(String s) {
        String t = s.trim();
        boolean neg = t.startsWith("-");
        if (neg) t = t.substring(1);
        long v = Durations.parseDurationOrSeconds(t);
        return neg ? -v : v;
    }

    static List<Command> parse(List<String> lines) {
        List<Command> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i).trim();
            int lineNo = i + 1;
            i++;
            if (l.isEmpty() || l.startsWith("#")) continue;
            String kind = l.split("\\s+")[0];
            if (kind.equals("clear")) {
                out.add(new Clear(lineNo));
                continue;
            }
            List<String> block = new ArrayList<>();
            while (i < lines.size()) {
                String b = lines.get(i).trim();
                // A block ends at a blank line or at the next command (a comment may separate two evals).
                if (b.isEmpty() || isCommand(b)) break;
                i++;
                if (b.startsWith("#")) continue;
                block.add(b);
            }
            if (kind.equals("load") || kind.equals("load_with_nhcb")) {
                String[] parts = l.split("\\s+");
                long step = time(parts[1]);
                List<SeriesSpec> ss = new ArrayList<>();
                for (String b : block) ss.add(SeriesSpec.parse(b));
                out.add(new Load(lineNo, step, kind.equals("load_with_nhcb"), ss));
            } else if (kind.startsWith("eval")) {
                out.add(eval(lineNo, l, block));
            } else {
                throw new IllegalArgumentException("line " + lineNo + ": unknown command " + kind);
            }
        }
        return out;
    }

    private static boolean isCommand(String line) {
        String first = line.split("\\s+", 2)[0];
        return first.equals("clear") || first.equals("load") || first.equals("load_with_nhcb") || first.startsWith("eval");
    }

    private static Eval eval(int lineNo, String header, List<String> block) {
        Matcher im = INSTANT.matcher(header);
        Matcher rm = RANGE.matcher(header);
        boolean range;
        String mod, expr;
        long start, end, step;
        if (rm.matches()) {
            range = true;
            mod = rm.group(1);
            start = time(rm.group(2));
            end = time(rm.group(3));
            step = time(rm.group(4));
            expr = rm.group(5);
        } else if (im.matches()) {
            range = false;
            mod = im.group(1);
            start = end = im.group(2) == null ? 0 : time(im.group(2));
            step = 0;
            expr = im.group(3);
        } else {
            throw new IllegalArgumentException("line " + lineNo + ": bad eval header: " + header);
        }
        List<Expect> expects = new ArrayList<>();
        if (mod != null) expects.add(new Expect(mod, null, null));
        List<SeriesSpec> results = new ArrayList<>();
        Double scalar = null;
        String string = null;
        boolean rv = false;
        long rvFrom = 0, rvTo = 0, rvStep = 0;
        boolean hist = false;
        for (String b : block) {
            Matcher em = EXPECT.matcher(b);
            Matcher rvm = RANGE_VECTOR.matcher(b);
            Matcher sm = STRING.matcher(b);
            if (b.startsWith("expected_fail_message")) {
                expects.removeIf(e -> e.kind().equals("fail"));
                expects.add(new Expect("fail", b.substring("expected_fail_message".length()).trim(), null));
            } else if (b.startsWith("expected_fail_regexp")) {
                expects.removeIf(e -> e.kind().equals("fail"));
                expects.add(new Expect("fail", null, Pattern.compile(b.substring("expected_fail_regexp".length()).trim())));
            } else if (em.matches()) {
                String k = em.group(1);
                String how = em.group(2);
                String text = em.group(3);
                if (how == null) expects.add(new Expect(k, null, null));
                else if (how.equals("msg")) expects.add(new Expect(k, text.trim(), null));
                else expects.add(new Expect(k, null, Pattern.compile(text.trim())));
            } else if (rvm.matches()) {
                rv = true;
                rvFrom = time(rvm.group(1));
                rvTo = time(rvm.group(2));
                rvStep = time(rvm.group(3));
            } else if (sm.matches()) {
                int[] endIdx = new int[1];
                string = SeriesSpec.unquote(sm.group(1).trim(), 0, endIdx);
            } else if (isNumber(b)) {
                scalar = SeriesSpec.number(b);
            } else {
                if (b.contains("{{")) hist = true;
                results.add(SeriesSpec.parse(b));
            }
        }
        return new Eval(lineNo, expr, range, start, end, step, expects, results, scalar, string, rv, rvFrom, rvTo,
                rvStep, hist);
    }

    private static boolean isNumber(String s) {
        try {
            SeriesSpec.number(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
