package dev.strata.node.chaos;

import dev.strata.launch.ForkedServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A process the fault suite hurts: a Strata node, the Kafka broker or the Cassandra node. Each can be
 * killed with SIGKILL and started again on the same data and ports, and paused with SIGSTOP and resumed
 * with SIGCONT. Driven by the one scheduler thread.
 */
public interface FaultTarget {
    /** As the fault table names it: {@code node-0}, {@code kafka}, {@code cassandra}. */
    String name();

    /** The running process id; fails if it is not running. */
    long pid();

    boolean isAlive();

    /** SIGKILL; returns once the process is gone. */
    void kill() throws InterruptedException;

    /** Starts it again after {@link #kill} and waits until it is ready. */
    void start() throws InterruptedException;

    /** Whether it can be restarted with changed settings (only nodes: {@code flush.groups}). */
    default boolean reconfigurable() {
        return false;
    }

    /** Starts it again after {@link #kill} with the settings {@code change} makes of the current ones, and waits until ready. */
    default void start(UnaryOperator<List<String>> change) throws InterruptedException {
        throw new UnsupportedOperationException(name() + " cannot be restarted with other settings");
    }

    /** SIGSTOP: the process stays, does nothing, answers nothing (connections hang). */
    default void pause() {
        signal(pid(), "STOP");
    }

    /** SIGCONT after {@link #pause}. */
    default void resume() {
        signal(pid(), "CONT");
    }

    /** Sends {@code kill -<sig> pid} (Java has no portable way to send SIGSTOP/SIGCONT). */
    static void signal(long pid, String sig) {
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IllegalStateException("kill -" + sig + " " + pid + " failed: " + out.strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + sig + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + sig + " to " + pid, e);
        }
    }

    /** A Strata node process; restarts wait for {@code /-/ready} up to {@code readyTimeout}. */
    static FaultTarget node(NodeProcess node, Duration readyTimeout) {
        return new FaultTarget() {
            @Override
            public String name() {
                return node.name();
            }

            @Override
            public long pid() {
                return node.pid();
            }

            @Override
            public boolean isAlive() {
                return node.isAlive();
            }

            @Override
            public void kill() throws InterruptedException {
                node.kill();
            }

            @Override
            public void start() throws InterruptedException {
                node.restart();
                node.awaitReady(readyTimeout);
            }

            @Override
            public boolean reconfigurable() {
                return true;
            }

            @Override
            public void start(UnaryOperator<List<String>> change) throws InterruptedException {
                node.restart(change.apply(node.settings()));
                node.awaitReady(readyTimeout);
            }
        };
    }

    /** The Kafka broker or the Cassandra node (its start waits until it is ready). */
    static FaultTarget server(String name, ForkedServer server) {
        return new FaultTarget() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long pid() {
                if (server.process() == null) throw new IllegalStateException(name + " is not running");
                return server.process().pid();
            }

            @Override
            public boolean isAlive() {
                return server.process() != null && server.process().isAlive();
            }

            @Override
            public void kill() throws InterruptedException {
                server.kill();
            }

            @Override
            public void start() throws InterruptedException {
                server.restart(); // after kill() there is nothing to stop: it only launches
            }
        };
    }
}
