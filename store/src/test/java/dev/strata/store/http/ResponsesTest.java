package dev.strata.store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponsesTest {
    @Test
    void errorsHaveThePrometheusShapeAndEscapeAsPrometheusDoes() {
        FullHttpResponse r = Responses.error(HttpResponseStatus.BAD_REQUEST, "bad_data", "a\"b\\c\nd\u0001<");
        try {
            assertEquals(400, r.status().code());
            assertEquals(Responses.JSON, r.headers().get(HttpHeaderNames.CONTENT_TYPE));
            String body = r.content().toString(StandardCharsets.UTF_8);
            assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"a\\\"b\\\\c\\nd\\u0001\\u003c\"}", body);
            assertEquals(body.length(), r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH));
        } finally {
            r.release();
        }
    }

    @Test
    void status499IsNamed() {
        assertEquals("Client Closed Request", Responses.status(499).reasonPhrase());
        assertEquals(HttpResponseStatus.NOT_FOUND, Responses.status(404));
    }

    @Test
    void emptyHasNoBody() {
        FullHttpResponse r = Responses.empty(HttpResponseStatus.NO_CONTENT);
        assertEquals(0, r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals(0, r.content().readableBytes());
    }
}
