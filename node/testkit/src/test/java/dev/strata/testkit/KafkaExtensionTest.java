package dev.strata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class KafkaExtensionTest {

    @Test
    void producesAndConsumesThroughAConsumerGroup(KafkaBroker kafka) throws Exception {
        kafka.createTopic("metrics", 4);
        produce(kafka.bootstrapServers(), "metrics", 200);
        // A consumer group: needs the offsets topic, which must have replication factor 1 here.
        List<String> values = consume(kafka.bootstrapServers(), "metrics", "group-1", 200);
        assertEquals(200, values.size());
        assertEquals(Set.copyOf(expected(200)), Set.copyOf(values));
    }

    @Test
    void theSharedBrokerIsOnePerRun(KafkaBroker first, KafkaBroker second) {
        assertSame(first, second);
    }

    @Test
    void dataSurvivesStopKillAndRestartOnNewPorts(@Fresh KafkaBroker kafka, KafkaBroker shared) throws Exception {
        assertNotSame(shared, kafka);
        kafka.createTopic("durable", 2);
        produce(kafka.bootstrapServers(), "durable", 100);
        String cluster = kafka.clusterId();

        long t0 = System.nanoTime();
        kafka.restart();
        System.out.println("in-process kafka: graceful restart " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(cluster, kafka.clusterId());
        produce(kafka.bootstrapServers(), "durable", 100);

        kafka.kill();
        assertFalse(kafka.isRunning());
        assertThrows(IllegalStateException.class, kafka::bootstrapServers);
        long t1 = System.nanoTime();
        kafka.restart();
        System.out.println("in-process kafka: restart after kill " + (System.nanoTime() - t1) / 1_000_000 + " ms");

        List<String> values = consume(kafka.bootstrapServers(), "durable", "group-2", 200);
        assertEquals(200, values.size(), "records lost across restarts");
        assertTrue(values.containsAll(expected(100)));
    }

    @Test
    void aFreshBrokerDoesNotSeeTheSharedBrokersTopics(@Fresh KafkaBroker fresh, KafkaBroker shared) throws Exception {
        shared.createTopic("only-on-shared", 1);
        try (var admin = fresh.admin()) {
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("only-on-shared"));
        }
    }

    static List<String> expected(int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add("v" + i);
        }
        return values;
    }

    static void produce(String bootstrap, String topic, int count) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)));
            }
            for (var f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    static List<String> consume(String bootstrap, String topic, String group, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
