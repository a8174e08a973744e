package dev.strata.node.cli;

import dev.strata.node.config.ConfigDocs;
import dev.strata.node.config.ConfigKey;
import dev.strata.node.config.ConfigKeys;
import dev.strata.node.config.NodeConfig;
import dev.strata.node.config.ResolvedConfig;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/** {@code strata config docs|show}: the configuration reference and the resolved configuration. */
public final class ConfigCommand implements Command {
    private final PrintStream out;
    private final Map<String, String> env;

    public ConfigCommand() {
        this(System.out, System.getenv());
    }

    ConfigCommand(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    @Override
    public String name() {
        return "config";
    }

    @Override
    public String summary() {
        return "Print the configuration reference (docs) or the resolved configuration (show)";
    }

    @Override
    public String help() {
        return """
                Usage: strata config docs
                       strata config show [--config FILE] [--set KEY=VALUE ...]

                  docs   print docs/configuration.md (every key: type, default, allowed values, doc)
                  show   resolve the configuration as 'strata node' would, validate it, and print
                         every key's value and where it came from (default, file, environment, flag)

                Options of show:
                """ + ConfigOptions.USAGE + """

                Examples:
                  strata config docs > docs/configuration.md
                  STRATA_SHARDS=16 strata config show --config node.yaml --set http.port=9191
                """;
    }

    @Override
    public int run(String[] args) {
        if (args.length == 0) {
            throw new UsageException("expected 'docs' or 'show'");
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "docs" -> {
                if (rest.length > 0) {
                    throw new UsageException("'config docs' takes no arguments");
                }
                out.print(ConfigDocs.markdown(ConfigKeys.DEF));
            }
            case "show" -> {
                ResolvedConfig c = ConfigOptions.parse(rest).resolve(env);
                NodeConfig.from(c); // the same checks 'strata node' makes
                for (ConfigKey<?> k : ConfigKeys.DEF.keys()) {
                    out.println(k.name() + " = " + c.format(k) + "    # " + c.origin(k));
                }
            }
            default -> throw new UsageException("unknown sub-command '" + args[0] + "': expected 'docs' or 'show'");
        }
        return 0;
    }
}
