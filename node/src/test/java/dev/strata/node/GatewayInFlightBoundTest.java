package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.ingest.gateway.GatewayConfig;
import org.junit.jupiter.api.Test;

class GatewayInFlightBoundTest {
    @Test
    void bytesInFlightToKafkaAreBoundedByAnEighthOfTheHeap() {
        assertEquals(32L << 20, GatewayComponent.gatewayConfig("t", 256L << 20).maxInFlightBytes(), "a 256 MiB heap");
        assertEquals(GatewayConfig.MAX_IN_FLIGHT_BYTES, GatewayComponent.gatewayConfig("t", 16L << 30).maxInFlightBytes(),
                "a large heap keeps the fixed bound");
        assertEquals(GatewayConfig.MAX_RECORD_BYTES, GatewayComponent.gatewayConfig("t", 1L << 20).maxInFlightBytes(),
                "at least one record");
    }
}
