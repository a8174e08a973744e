package dev.strata.ingest.gateway;

import java.util.concurrent.atomic.LongAdder;

/** Gateway counters (monotonic), to be exported at /metrics by the node. Thread safe. */
public final class GatewayStats {
    final LongAdder requestsAccepted = new LongAdder();
    final LongAdder requestsInvalid = new LongAdder();
    final LongAdder requestsUnavailable = new LongAdder();
    final LongAdder requestsOverloaded = new LongAdder();
    final LongAdder requestsRefusedRetention = new LongAdder();
    final LongAdder samplesAccepted = new LongAdder();
    final LongAdder seriesAccepted = new LongAdder();
    final LongAdder recordsSent = new LongAdder();
    final LongAdder recordBytesSent = new LongAdder();
    final LongAdder exemplarsIgnored = new LongAdder();
    final LongAdder stringFieldsIgnored = new LongAdder();

    public long requestsAccepted() { return requestsAccepted.sum(); }
    public long requestsInvalid() { return requestsInvalid.sum(); }
    public long requestsUnavailable() { return requestsUnavailable.sum(); }
    public long requestsOverloaded() { return requestsOverloaded.sum(); }
    /** Requests refused (503) because a shard they write to is held by the retention guard ({@link ShardWriteGuard}). */
    public long requestsRefusedRetention() { return requestsRefusedRetention.sum(); }
    public long samplesAccepted() { return samplesAccepted.sum(); }
    public long seriesAccepted() { return seriesAccepted.sum(); }
    public long recordsSent() { return recordsSent.sum(); }
    public long recordBytesSent() { return recordBytesSent.sum(); }
    public long exemplarsIgnored() { return exemplarsIgnored.sum(); }
    public long stringFieldsIgnored() { return stringFieldsIgnored.sum(); }
}
