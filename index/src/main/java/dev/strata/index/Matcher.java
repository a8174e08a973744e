package dev.strata.index;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * A Prometheus label matcher: {@code name op "value"} with op one of {@code = != =~ !~}.
 *
 * <p>Semantics are Prometheus's: regexes are fully anchored ({@code ^(?:re)$}); a label that is
 * absent has the value "" so {@code l=""} matches series without {@code l}, and {@code !=}/{@code !~}
 * match series without the label unless the value/regex matches "". Regexes are RE2's, as in
 * Prometheus, evaluated by RE2/J in time linear in the input (no backtracking, so a hostile pattern
 * cannot stall a node); what RE2 lacks (backreferences, lookaround, possessive quantifiers) is
 * rejected with Go's error text, e.g. {@code error parsing regexp: invalid escape sequence: `\1`}.
 * {@code .} matches newlines as in Prometheus ({@code (?s)}).
 */
public final class Matcher {
    public enum Type {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        private final String op;

        Type(String op) {
            this.op = op;
        }

        public String op() {
            return op;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern;

    private Matcher(Type type, String name, String value) {
        this.type = Objects.requireNonNull(type);
        this.name = Objects.requireNonNull(name);
        this.value = Objects.requireNonNull(value);
        Pattern p = null;
        if (type == Type.RE || type == Type.NRE) {
            try {
                p = Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(syntaxError(value), e);
            }
        }
        this.pattern = p;
    }

    /**
     * Go's error text for an invalid regex, as Prometheus 2.x reports it: RE2/J's message for the
     * pattern compiled without the DOTALL flag (which RE2/J would show as a {@code (?s)} prefix).
     */
    static String syntaxError(String regex) {
        try {
            Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            return e.getMessage();
        }
        return "error parsing regexp: `" + regex + "`";
    }

    public static Matcher eq(String name, String value) { return new Matcher(Type.EQ, name, value); }
    public static Matcher neq(String name, String value) { return new Matcher(Type.NEQ, name, value); }
    public static Matcher re(String name, String regex) { return new Matcher(Type.RE, name, regex); }
    public static Matcher nre(String name, String regex) { return new Matcher(Type.NRE, name, regex); }

    public static Matcher of(Type type, String name, String value) {
        return new Matcher(type, name, value);
    }

    public Type type() { return type; }
    public String name() { return name; }
    public String value() { return value; }

    /** The compiled, anchored pattern for {@code =~}/{@code !~}, else null. */
    public Pattern pattern() { return pattern; }

    /** Whether a label value ("" for an absent label) satisfies this matcher. */
    public boolean matches(String labelValue) {
        return switch (type) {
            case EQ -> value.equals(labelValue);
            case NEQ -> !value.equals(labelValue);
            case RE -> pattern.matcher(labelValue).matches();
            case NRE -> !pattern.matcher(labelValue).matches();
        };
    }

    /** True if this matcher accepts the empty string, i.e. also matches series that lack the label. */
    public boolean matchesEmpty() {
        return matches("");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    /** Prometheus's text form, e.g. {@code job=~"api|web"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(type.op()).append('"');
        dev.strata.store.model.Labels.escape(value, sb);
        return sb.append('"').toString();
    }
}
