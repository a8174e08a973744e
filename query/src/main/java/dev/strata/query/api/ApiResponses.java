package dev.strata.query.api;

import dev.strata.store.http.Responses;
import dev.strata.store.json.JsonWriter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the API's HTTP responses in Prometheus's envelope, fields in Prometheus's order:
 * {@code {"status":"success","data":...,"warnings":[...],"infos":[...]}} (warnings and infos only when
 * present) and {@code {"status":"error","errorType":"bad_data","error":"..."}} with the error type's
 * HTTP status.
 */
public final class ApiResponses {
    private ApiResponses() {}

    /** The JSON body of a success: {@code data} is written by the callback. */
    public static JsonWriter successBody(Consumer<JsonWriter> data, List<String> warnings, List<String> infos) {
        JsonWriter w = new JsonWriter(1024);
        w.raw("{\"status\":\"success\",\"data\":");
        data.accept(w);
        stringArrayField(w, "warnings", warnings);
        stringArrayField(w, "infos", infos);
        w.raw('}');
        return w;
    }

    private static void stringArrayField(JsonWriter w, String name, List<String> values) {
        if (values == null || values.isEmpty()) return;
        w.raw(',').field(name).raw('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) w.raw(',');
            w.string(values.get(i));
        }
        w.raw(']');
    }

    public static JsonWriter errorBody(ErrorType type, String message) {
        return Responses.errorBody(type.wireName(), message);
    }

    public static FullHttpResponse success(Consumer<JsonWriter> data, List<String> warnings, List<String> infos) {
        return json(HttpResponseStatus.OK, successBody(data, warnings, infos));
    }

    public static FullHttpResponse error(ApiException e) {
        return json(status(e.type().httpStatus()), errorBody(e.type(), e.getMessage() == null ? "" : e.getMessage()));
    }

    static HttpResponseStatus status(int code) {
        return Responses.status(code);
    }

    public static FullHttpResponse json(HttpResponseStatus status, JsonWriter body) {
        return Responses.json(status, body);
    }

    /** Plain-text answers of Prometheus's router itself (unknown path, wrong method). */
    public static FullHttpResponse text(HttpResponseStatus status, String text) {
        return Responses.text(status, text);
    }

    /** 204 No Content, as Prometheus answers OPTIONS. */
    public static FullHttpResponse noContent() {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
        return r;
    }
}
