package dev.strata.node.config;

/** Limits of remote read ({@code /api/v1/read}), as Prometheus's {@code --storage.remote.read-*} flags. */
public record RemoteReadSettings(long sampleLimit, int concurrentLimit, int maxBytesInFrame) {
    public static RemoteReadSettings from(ResolvedConfig c) {
        return new RemoteReadSettings(c.get(ConfigKeys.REMOTE_READ_SAMPLE_LIMIT), c.get(ConfigKeys.REMOTE_READ_CONCURRENT_LIMIT),
                c.get(ConfigKeys.REMOTE_READ_MAX_BYTES_IN_FRAME).intValue());
    }
}
