package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.node.config.NodeConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** runtimeinfo reports the retention the node enforces (it once said "unlimited"). */
class RuntimeInfoRetentionTest {
    @Test
    void storageRetentionIsTheConfiguredRetention() {
        assertEquals("2w1d", NodeAssembly.storageRetention(NodeConfig.defaults()));
        NodeConfig weekly = NodeConfig.from(NodeConfig.resolve(Optional.empty(), Map.of(), List.of("retention=7d")));
        assertEquals("1w", NodeAssembly.storageRetention(weekly));
    }
}
