package dev.strata.node.config;

/**
 * One declared configuration key. Created only by {@link ConfigDef#define}, which checks that the
 * default parses and passes the validator, so a declaration error fails at class initialisation.
 *
 * @param name dotted lower-case name, e.g. {@code kafka.bootstrap}
 * @param defaultText the default in its text form, exactly as a user would write it
 */
public record ConfigKey<T>(String name, ConfigType<T> type, String defaultText, Validator<? super T> validator,
                           String doc) {

    /** {@code STRATA_} + the name upper-cased with dots and dashes turned into underscores. */
    public String envName() {
        return envName(name);
    }

    static String envName(String key) {
        return "STRATA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The default value, parsed. */
    public T defaultValue() {
        return type.parse(defaultText);
    }
}
