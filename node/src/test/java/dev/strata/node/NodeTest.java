package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.http.Readiness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeTest {
    private final List<String> events = new ArrayList<>();

    private final class Fake implements Component {
        final String name;
        final boolean failStart;
        volatile boolean ready;

        Fake(String name, boolean failStart) {
            this.name = name;
            this.failStart = failStart;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            events.add("start " + name);
            if (failStart) {
                throw new IllegalStateException(name + " cannot start");
            }
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void stop() {
            events.add("stop " + name);
            if (name.equals("b")) {
                throw new IllegalStateException("stop failures are logged, not fatal");
            }
        }
    }

    @Test
    void startsInOrderStopsInReverseAndReportsReadiness() throws Exception {
        Fake a = new Fake("a", false);
        Fake b = new Fake("b", false);
        Fake c = new Fake("c", false);
        Readiness readiness = new Readiness();
        Node node = new Node(List.of(a, b, c), readiness);
        node.start();
        assertFalse(node.isReady());
        a.ready = true;
        c.ready = true;
        assertEquals(List.of("b"), readiness.notReady());
        b.ready = true;
        assertTrue(node.isReady());
        node.close();
        node.close(); // idempotent
        assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), events);
        assertThrows(IllegalStateException.class, node::start);
    }

    @Test
    void failedStartStopsWhatStarted() {
        Node node = new Node(List.of(new Fake("a", false), new Fake("x", true), new Fake("c", false)), new Readiness());
        IllegalStateException e = assertThrows(IllegalStateException.class, node::start);
        assertEquals("x cannot start", e.getMessage());
        assertEquals(List.of("start a", "start x", "stop x", "stop a"), events);
    }

    @Test
    void emptyNodeIsNeverReady() throws Exception {
        Readiness r = new Readiness();
        Node node = new Node(List.of(), r);
        node.start();
        assertFalse(node.isReady());
        assertEquals(List.of(), r.notReady()); // nothing is waiting, yet no component means not ready
    }
}
