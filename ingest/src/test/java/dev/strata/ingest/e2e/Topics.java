package dev.strata.ingest.e2e;

import dev.strata.testkit.KafkaBroker;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/** Test helper: create a topic and wait until every partition has a leader. */
public final class Topics {
    private Topics() {}

    public static void createAndAwaitLeaders(KafkaBroker kafka, String topic, int partitions) throws Exception {
        kafka.createTopic(topic, partitions);
        long deadline = System.currentTimeMillis() + 30_000;
        try (Admin admin = kafka.admin()) {
            while (true) {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("no leaders for " + topic + ": " + d);
                Thread.sleep(100);
            }
        }
    }
}
