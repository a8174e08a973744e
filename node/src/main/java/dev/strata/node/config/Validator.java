package dev.strata.node.config;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed value. {@link #problem} returns null when the value is fine, otherwise what was
 * expected ("an integer in [1, 65535]"), which {@link ConfigDef} puts into the error naming the key.
 * {@link #describe} is the constraint as shown in docs/configuration.md.
 */
public interface Validator<T> {
    String problem(T value);

    String describe();

    /** Accepts everything. */
    static <T> Validator<T> any() {
        return new Validator<>() {
            @Override
            public String problem(T value) {
                return null;
            }

            @Override
            public String describe() {
                return "";
            }
        };
    }

    /** A number (int, long, size) in [min, max]. */
    static <T extends Number> Validator<T> range(long min, long max) {
        String desc = max == Long.MAX_VALUE ? ">= " + min : "[" + min + ", " + max + "]";
        return new Validator<>() {
            @Override
            public String problem(T value) {
                long v = value.longValue();
                return v < min || v > max ? "a value in " + desc : null;
            }

            @Override
            public String describe() {
                return desc;
            }
        };
    }

    static <T extends Number> Validator<T> atLeast(long min) {
        return range(min, Long.MAX_VALUE);
    }

    /** A duration of at least {@code min}. */
    static Validator<java.time.Duration> minDuration(java.time.Duration min) {
        String desc = ">= " + ConfigType.DURATION.format(min);
        return new Validator<>() {
            @Override
            public String problem(java.time.Duration value) {
                return value.compareTo(min) < 0 ? "a duration " + desc : null;
            }

            @Override
            public String describe() {
                return desc;
            }
        };
    }

    /** One of a fixed set of strings (case-sensitive). */
    static Validator<String> oneOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        String desc = "one of " + String.join(", ", List.of(allowed));
        return new Validator<>() {
            @Override
            public String problem(String value) {
                return set.contains(value) ? null : desc;
            }

            @Override
            public String describe() {
                return desc;
            }
        };
    }

    /** A non-empty string or a non-empty list. */
    static <T> Validator<T> nonEmpty() {
        return new Validator<>() {
            @Override
            public String problem(T value) {
                boolean empty = value instanceof CharSequence cs ? cs.toString().isBlank()
                        : value instanceof Collection<?> c && c.isEmpty();
                return empty ? "a non-empty value" : null;
            }

            @Override
            public String describe() {
                return "non-empty";
            }
        };
    }

    /** A string matching {@code regex} entirely; {@code description} says in words what that means. */
    static Validator<String> matches(String regex, String description) {
        Pattern p = Pattern.compile(regex);
        return new Validator<>() {
            @Override
            public String problem(String value) {
                return p.matcher(value).matches() ? null : description;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
