package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The assignment's text form (docs/format/membership.md): round trips, and malformed text refused by name. */
class AssignmentTest {
    private static final long SEED = Long.getLong("strata.assignment.seed", System.nanoTime());

    @Test
    void randomAssignmentsRoundTripThroughTheTextForm() {
        System.out.println("AssignmentTest seed " + SEED + " (-Dstrata.assignment.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        for (int i = 0; i < 500; i++) {
            int shards = 1 + rnd.nextInt(64);
            int replicas = 1 + rnd.nextInt(3);
            int[][] owners = new int[shards][];
            for (int s = 0; s < shards; s++) {
                List<Integer> nodes = new ArrayList<>();
                for (int o = 0; o < 12; o++) nodes.add(rnd.nextInt(3) == 0 ? 1000 + o : o);
                Collections.shuffle(nodes, rnd);
                owners[s] = nodes.subList(0, rnd.nextInt(replicas + 1)).stream().mapToInt(Integer::intValue).toArray();
            }
            Assignment a = new Assignment(rnd.nextInt(3) == 0 ? Long.MAX_VALUE - rnd.nextInt(5) : rnd.nextInt(1 << 20), replicas, owners);
            String text = a.encode();
            Assignment back = Assignment.decode(text);
            assertEquals(a, back, text);
            assertEquals(text, back.encode());
            for (int s = 0; s < shards; s++) assertArrayEquals(owners[s], back.owners(s), text);
        }
    }

    @Test
    void textFormIsTheDocumentedOne() {
        Assignment a = new Assignment(7, 2, new int[][] {{0, 1}, {2}, {}, {1, 0}});
        assertEquals("1 7 4 2 0,1;2;;1,0", a.encode());
        assertEquals(a, Assignment.decode("1 7 4 2 0,1;2;;1,0"));
        assertEquals(List.of(0, 3), a.ownedBy(1));
        assertEquals(2, new Assignment(8, 2, new int[][] {{0, 3}, {2}, {3}, {1, 0}}).movedSlotsFrom(a));
    }

    @Test
    void malformedTextIsRefusedNamingTheProblem() {
        refused("", "not an assignment of format version 1");
        refused("2 7 1 1 0", "not an assignment of format version 1");
        refused("1 7 1 1", "not an assignment of format version 1");
        refused("1 7 1 1 0 extra", "not an assignment of format version 1");
        refused("1 x 1 1 0", "not a number");
        refused("1 7 1 1 0,a", "not a number");
        refused("1 7 1 1 0,", "not a number");
        refused("1 7 3 1 0;1", "lists 2 shards, its header says 3");
        refused("1 7 0 1 ", "lists 1 shards, its header says 0");
        refused("1 -1 1 1 0", "epoch must be >= 0");
        refused("1 7 1 0 ", "replicas must be >= 1");
        refused("1 7 2 2 0,0;1", "node 0 listed twice");
        refused("1 7 1 2 0,1,2", "shard 0 has 3 owners, replicas=2");
        refused("1 7 2 1 0;-3", "negative owner -3");
        refused("1 99999999999999999999 1 1 0", "not a number");
    }

    private static void refused(String text, String naming) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Assignment.decode(text), "'" + text + "'");
        assertTrue(e.getMessage().contains(naming), "'" + text + "': message '" + e.getMessage() + "' does not say '" + naming + "'");
    }
}
