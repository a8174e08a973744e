package dev.strata.node.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One reading of a node's {@code /api/v1/status/shards}, parsed: the assignment's epoch and owners per
 * shard, each shard's ready owners, the members (zone, state, slots) and whether a handoff is in progress.
 */
record ShardsStatus(String raw, long epoch, List<int[]> owners, int[] readyOwners, Map<Integer, Member> members, boolean handoffs) {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Member(String zone, String state, int slots) {}

    static ShardsStatus parse(String body) throws IOException {
        JsonNode data = JSON.readTree(body).path("data");
        List<int[]> owners = new ArrayList<>();
        JsonNode shards = data.path("shards");
        int[] ready = new int[shards.size()];
        for (int s = 0; s < shards.size(); s++) {
            JsonNode os = shards.get(s).path("owners");
            int[] o = new int[os.size()];
            for (int k = 0; k < o.length; k++) o[k] = os.get(k).path("node").asInt();
            owners.add(o);
            ready[s] = shards.get(s).path("readyOwners").asInt();
        }
        Map<Integer, Member> members = new TreeMap<>();
        for (JsonNode m : data.path("members")) {
            members.put(m.path("node").asInt(), new Member(m.path("zone").asText(), m.path("state").asText(), m.path("slots").asInt()));
        }
        return new ShardsStatus(body, data.path("epoch").asLong(), owners, ready, members, !data.path("handoffs").isEmpty());
    }

    /** Replica slots the assignment gives {@code ordinal} (0 when it is not a member). */
    int slots(int ordinal) {
        Member m = members.get(ordinal);
        return m == null ? 0 : m.slots();
    }

    /** Every shard has {@code r} ready owners, no handoff is in progress and none of {@code gone} holds a slot. */
    boolean replicated(int shards, int r, int... gone) {
        if (owners.size() != shards || handoffs) return false;
        for (int n : readyOwners) if (n != r) return false;
        for (int g : gone) if (slots(g) != 0) return false;
        return true;
    }

    /** (shard, owner) slots of this assignment that {@code before}'s does not have: the slots that moved. */
    int movedSince(ShardsStatus before) {
        int moved = 0;
        for (int s = 0; s < owners.size(); s++) {
            Set<Integer> had = new HashSet<>();
            if (s < before.owners.size()) for (int o : before.owners.get(s)) had.add(o);
            for (int o : owners.get(s)) if (!had.contains(o)) moved++;
        }
        return moved;
    }

    /** Zones of the members that are neither down nor gone; the empty zone counts as one. */
    Set<String> liveZones() {
        Set<String> zones = new HashSet<>();
        members.values().forEach(m -> {
            if (!m.state().equals("down")) zones.add(m.zone());
        });
        return zones;
    }

    /** Shards whose owners include two in one zone, as "shard s: [owners] zones [...]"; empty when none. */
    List<String> sameZoneOwners() {
        List<String> bad = new ArrayList<>();
        for (int s = 0; s < owners.size(); s++) {
            Set<String> zones = new HashSet<>();
            List<String> zs = new ArrayList<>();
            boolean twice = false;
            for (int o : owners.get(s)) {
                Member m = members.get(o);
                String z = m == null ? "?" + o : m.zone();
                zs.add(z);
                twice |= !zones.add(z);
            }
            if (twice) bad.add("shard " + s + ": owners " + java.util.Arrays.toString(owners.get(s)) + " zones " + zs);
        }
        return bad;
    }
}
