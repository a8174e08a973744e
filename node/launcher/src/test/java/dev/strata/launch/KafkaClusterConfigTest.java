package dev.strata.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated configuration of a {@link KafkaCluster}'s members (no process is started). */
class KafkaClusterConfigTest {
    private static KafkaClusterConfig config(List<Integer> brokerPorts, int controllerPort) {
        return new KafkaClusterConfig(Path.of("/tmp/kc"), "127.0.0.1", brokerPorts, controllerPort, "384m", "256m",
                JavaCommand.currentJava(), "cp", Duration.ofSeconds(60), List.of());
    }

    @Test
    void portsMustBeDistinct() {
        assertThrows(IllegalArgumentException.class, () -> config(List.of(9101, 9101, 9103), 9104));
        assertThrows(IllegalArgumentException.class, () -> config(List.of(9101, 9102, 9103), 9102));
        assertThrows(IllegalArgumentException.class, () -> config(List.of(), 9104));
        assertEquals("127.0.0.1:9101,127.0.0.1:9102,127.0.0.1:9103", config(List.of(9101, 9102, 9103), 9104).bootstrapServers());
    }

    @Test
    void controllerAloneInTheQuorumAndBrokersOnTheirOwnPortsAndDirectories() {
        KafkaClusterConfig c = config(List.of(9101, 9102, 9103), 9104);
        String controller = new KafkaClusterMember(c, 0, "id").serverProperties();
        assertTrue(controller.contains("\nprocess.roles=controller\n"), controller);
        assertTrue(controller.contains("\nnode.id=0\n"), controller);
        assertTrue(controller.contains("\ncontroller.quorum.voters=0@127.0.0.1:9104\n"), controller);
        assertTrue(controller.contains("\nlisteners=CONTROLLER://127.0.0.1:9104\n"), controller);
        assertTrue(controller.contains("\nbroker.session.timeout.ms=4000\n"), controller);
        assertTrue(controller.contains("\nlog.dirs=/tmp/kc/controller/data\n"), controller);

        KafkaClusterMember member = new KafkaClusterMember(c, 2, "id");
        String broker = member.serverProperties();
        assertEquals(9102, member.port());
        assertTrue(broker.contains("\nprocess.roles=broker\n"), broker);
        assertTrue(broker.contains("\nnode.id=2\n"), broker);
        assertTrue(broker.contains("\ncontroller.quorum.voters=0@127.0.0.1:9104\n"), broker);
        assertTrue(broker.contains("\nlisteners=PLAINTEXT://127.0.0.1:9102\n"), broker);
        assertTrue(broker.contains("\nlog.dirs=/tmp/kc/broker-2/data\n"), broker);
        assertTrue(broker.contains("\noffsets.topic.replication.factor=3\n"), broker);
        assertTrue(broker.contains("\ntransaction.state.log.min.isr=2\n"), broker);
        assertThrows(IllegalArgumentException.class, () -> new KafkaClusterMember(c, 4, "id"));
    }

    @Test
    void internalTopicsFitASmallerCluster() {
        String broker = new KafkaClusterMember(config(List.of(9101), 9104), 1, "id").serverProperties();
        assertTrue(broker.contains("\noffsets.topic.replication.factor=1\n"), broker);
        assertTrue(broker.contains("\ntransaction.state.log.min.isr=1\n"), broker);
    }
}
