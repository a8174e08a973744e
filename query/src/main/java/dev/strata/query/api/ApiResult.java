package dev.strata.query.api;

import dev.strata.store.json.JsonWriter;
import java.util.List;
import java.util.function.Consumer;

/** A handler's successful answer: writes {@code data}; warnings and infos go beside it. */
public record ApiResult(Consumer<JsonWriter> data, List<String> warnings, List<String> infos) {
    public static ApiResult of(Consumer<JsonWriter> data) {
        return new ApiResult(data, List.of(), List.of());
    }
}
