package dev.strata.query.api;

import dev.strata.store.model.MetricMetadata;
import java.util.List;

/**
 * The metric metadata {@code /api/v1/metadata} lists: the current distinct entries of every metric
 * (or of {@code metric} alone when it is not empty), in any order. Throws {@link ApiException} when
 * the store cannot be read.
 */
@FunctionalInterface
public interface MetricMetadataSource {
    /** A store that holds no metadata (API tests over in-memory data). */
    MetricMetadataSource NONE = metric -> List.of();

    List<MetricMetadata> read(String metric);
}
