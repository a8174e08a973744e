package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.SnappyBlock;
import dev.strata.ingest.protocol.TestProto;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.validate.BatchValidator;
import dev.strata.ingest.validate.ValidationLimits;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

final class GatewayTestSupport {
    static final long NOW = 1_700_000_000_000L;

    static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static IngestGateway gateway(MockProducer<byte[], byte[]> p, ShardMapper mapper, GatewayConfig cfg) {
        return new IngestGateway(cfg, p, mapper, new BatchValidator(ValidationLimits.defaults()), () -> NOW);
    }

    /** An RW1 request with {@code n} series of metric {@code metric}, one sample each. */
    static byte[] rw1(String metric, int n, long ts) {
        TestProto req = new TestProto();
        for (int i = 0; i < n; i++) {
            req.message(1, new TestProto()
                    .message(1, TestProto.label("__name__", metric))
                    .message(1, TestProto.label("instance", "host-" + i))
                    .message(2, TestProto.sample(i, ts)));
        }
        return req.toBytes();
    }

    static FullHttpRequest post(String uri, String contentType, byte[] rawBody, boolean snappy) {
        byte[] body = snappy ? SnappyBlock.compress(rawBody, 0, rawBody.length) : rawBody;
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri, Unpooled.wrappedBuffer(body));
        if (contentType != null) r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (snappy) r.headers().set(HttpHeaderNames.CONTENT_ENCODING, "snappy");
        return r;
    }
}
