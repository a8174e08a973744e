package dev.strata.node;

import dev.strata.node.cli.AdminCommand;
import dev.strata.node.cli.BenchCommand;
import dev.strata.node.cli.CassandraCommand;
import dev.strata.node.cli.ChaosCommand;
import dev.strata.node.cli.Command;
import dev.strata.node.cli.DevCommand;
import dev.strata.node.cli.InspectCommand;
import dev.strata.node.cli.KafkaCommand;
import dev.strata.node.cli.ConfigCommand;
import dev.strata.node.cli.NodeCommand;
import dev.strata.node.cli.PromqltestCommand;
import dev.strata.node.cli.UsageException;
import dev.strata.node.config.ConfigException;
import java.util.Arrays;
import java.util.List;

/** Entry point of {@code bin/strata}: dispatches to the sub-commands in {@link #COMMANDS}. */
public final class Main {
    /** Every sub-command, in the order {@code strata --help} lists them. */
    static final List<Command> COMMANDS = List.of(
            new DevCommand(), new NodeCommand(), new KafkaCommand(), new CassandraCommand(), new ConfigCommand(),
            new InspectCommand(), new PromqltestCommand(), new BenchCommand(), new ChaosCommand(), new AdminCommand());

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.print(help());
            return args.length == 0 ? 2 : 0;
        }
        for (Command c : COMMANDS) {
            if (c.name().equals(args[0])) {
                String[] rest = Arrays.copyOfRange(args, 1, args.length);
                if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
                    System.out.print(c.help());
                    return 0;
                }
                try {
                    return c.run(rest);
                } catch (UsageException e) {
                    System.err.println("strata " + c.name() + ": " + e.getMessage());
                    System.err.println("Run 'strata " + c.name() + " --help' for usage.");
                    return 2;
                } catch (ConfigException e) {
                    System.err.println("strata " + c.name() + ": " + e.getMessage());
                    return 2;
                } catch (Exception e) {
                    System.err.println("strata " + c.name() + ": " + e.getMessage());
                    e.printStackTrace(System.err);
                    return 1;
                }
            }
        }
        System.err.println("strata: unknown command '" + args[0] + "'. Run 'strata --help'.");
        return 2;
    }

    static String help() {
        StringBuilder sb = new StringBuilder();
        sb.append("Strata: an event-sourced, distributed time-series database for Prometheus metrics.\n\n");
        sb.append("Usage: strata <command> [options]\n\nCommands:\n");
        for (Command c : COMMANDS) {
            sb.append(String.format("  %-12s %s%n", c.name(), c.summary()));
        }
        sb.append("\nRun 'strata <command> --help' for a command's options.\n");
        return sb.toString();
    }
}
