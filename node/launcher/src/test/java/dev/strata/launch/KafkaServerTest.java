package dev.strata.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaServerTest {

    @Test
    void recordsSurviveSigkillAndRestartReusesTheFormattedStorage(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        KafkaServer kafka = KafkaServer.start(TestServers.kafka(dir));
        System.out.println("forked kafka: first start (format + start) " + TestServers.millisSince(t0) + " ms");
        try {
            long pid = kafka.process().pid();
            assertEquals(pid, PidFile.read(dir.resolve("server.pid")).orElseThrow());
            String meta = Files.readString(dir.resolve("data/meta.properties"));
            produce(kafka.bootstrapServers(), "survivor", 100);

            kafka.kill();
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "SIGKILLed broker still alive");
            assertNull(kafka.process());

            long t1 = System.nanoTime();
            kafka.restart();
            System.out.println("forked kafka: restart after SIGKILL " + TestServers.millisSince(t1) + " ms");
            assertNotEquals(pid, kafka.process().pid());
            assertEquals(meta, Files.readString(dir.resolve("data/meta.properties")), "storage was re-formatted");
            assertEquals(100, consume(kafka.bootstrapServers(), "survivor").size());

            long last = kafka.process().pid();
            kafka.stop();
            assertFalse(ProcessHandle.of(last).map(ProcessHandle::isAlive).orElse(false));
            assertFalse(Files.exists(dir.resolve("server.pid")), "pid file left behind");
            assertTrue(ChildReaper.live().isEmpty(), "reaper still tracks " + ChildReaper.live());
        } finally {
            kafka.close();
        }
    }

    @Test
    void aBrokerThatCannotStartFailsFastWithItsLog(@TempDir Path dir) {
        KafkaServerConfig good = TestServers.kafka(dir);
        // Only the launcher on the classpath: the storage tool's class is missing.
        KafkaServerConfig broken = new KafkaServerConfig(dir, good.host(), good.port(), good.controllerPort(),
                good.heap(), good.java(), JavaCommand.launcherLocation(), Duration.ofSeconds(30), List.of());
        long t0 = System.nanoTime();
        ProcessStartException e = assertThrows(ProcessStartException.class, () -> KafkaServer.start(broken));
        assertTrue(TestServers.millisSince(t0) < 20_000, "did not fail fast");
        assertTrue(e.getMessage().contains("ClassNotFoundException: kafka.tools.StorageTool"), e.getMessage());
        assertTrue(ChildReaper.live().isEmpty());
    }

    static void produce(String bootstrap, String topic, int count) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    static List<String> consume(String bootstrap, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
