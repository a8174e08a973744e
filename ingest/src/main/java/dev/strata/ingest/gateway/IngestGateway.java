package dev.strata.ingest.gateway;

import dev.strata.ingest.protocol.RequestTooLargeException;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.sharding.ShardMapper;
import dev.strata.ingest.validate.BatchValidator;
import dev.strata.ingest.validate.ValidationResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * The write path behind every receiver: validate (all-or-nothing) -> split by shard -> one record
 * per shard -> Kafka, completing only when every record of the request is acknowledged.
 *
 * <p>Contract: the returned future completes with {@link WriteOutcome.Status#ACCEPTED} only after
 * Kafka acknowledged all records (the producer must use acks=all; see {@link ProducerSettings}).
 * If any record fails or times out it completes with UNAVAILABLE (some records of the request may
 * have been written; the sender retries and the store drops the duplicates). {@link #write} runs
 * the CPU part (validation, encoding) on the calling thread and may block up to the producer's
 * {@code max.block.ms} inside {@code send}; call it from a worker executor, never an event loop.
 * Thread safe (per-thread encoders).
 */
public final class IngestGateway {
    private final GatewayConfig config;
    private final Producer<byte[], byte[]> producer;
    private final BatchValidator validator;
    private final LongSupplier clockMs;
    private final InFlightBytes inFlight;
    private final GatewayStats stats = new GatewayStats();
    private final ThreadLocal<ShardedEncoder> encoders;
    private final ShardMapper mapper;
    private final ShardWriteGuard guard;

    public IngestGateway(GatewayConfig config, Producer<byte[], byte[]> producer, ShardMapper mapper,
                         BatchValidator validator, LongSupplier clockMs) {
        this(config, producer, mapper, validator, clockMs, ShardWriteGuard.NONE);
    }

    /** @param guard asked for every shard a request writes to; one refusal refuses the whole request (503) */
    public IngestGateway(GatewayConfig config, Producer<byte[], byte[]> producer, ShardMapper mapper,
                         BatchValidator validator, LongSupplier clockMs, ShardWriteGuard guard) {
        this.guard = guard;
        this.config = config;
        this.producer = producer;
        this.mapper = mapper;
        this.validator = validator;
        this.clockMs = clockMs;
        this.inFlight = new InFlightBytes(config.maxInFlightBytes());
        this.encoders = ThreadLocal.withInitial(() -> new ShardedEncoder(mapper, config.maxRecordBytes()));
    }

    public GatewayStats stats() { return stats; }
    public InFlightBytes inFlight() { return inFlight; }
    public GatewayConfig config() { return config; }
    public ShardMapper mapper() { return mapper; }
    public long nowMs() { return clockMs.getAsLong(); }

    public CompletableFuture<WriteOutcome> write(WriteBatch batch) {
        ValidationResult v = validator.validate(batch, clockMs.getAsLong());
        if (!v.ok()) {
            stats.requestsInvalid.increment();
            return CompletableFuture.completedFuture(WriteOutcome.invalid(v.message()));
        }
        stats.exemplarsIgnored.add(batch.exemplarsIgnored());
        stats.stringFieldsIgnored.add(batch.stringFieldsIgnored());
        int series = batch.seriesCount();
        int samples = batch.totalSamples();
        if (samples == 0 && batch.metadata().isEmpty()) {
            stats.requestsAccepted.increment();
            return CompletableFuture.completedFuture(WriteOutcome.accepted(series, 0, 0));
        }
        List<ShardedEncoder.ShardRecord> records;
        try {
            records = samples == 0 ? new java.util.ArrayList<>() : encoders.get().encode(batch);
            // Metadata travels in its own records (version 4), acknowledged with the samples.
            if (!batch.metadata().isEmpty()) {
                records.addAll(MetadataEncoder.encode(batch.metadata(), mapper.numShards(), config.maxRecordBytes(), clockMs.getAsLong()));
            }
        } catch (RequestTooLargeException e) {
            stats.requestsInvalid.increment();
            return CompletableFuture.completedFuture(WriteOutcome.tooLarge(e.getMessage()));
        }
        for (ShardedEncoder.ShardRecord r : records) {
            String refused = guard.refusal(r.shard());
            if (refused != null) {
                stats.requestsRefusedRetention.increment();
                return CompletableFuture.completedFuture(WriteOutcome.overloaded(refused
                        + "; nothing of this request was written; retry after " + config.retryAfterSeconds() + "s"));
            }
        }
        long bytes = 0;
        for (ShardedEncoder.ShardRecord r : records) bytes += r.value().length;
        if (!inFlight.tryAcquire(bytes)) {
            stats.requestsOverloaded.increment();
            return CompletableFuture.completedFuture(WriteOutcome.overloaded("too many bytes waiting for Kafka ("
                    + inFlight.used() + " of " + inFlight.max() + "); retry after " + config.retryAfterSeconds() + "s"));
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] acks = new CompletableFuture[records.size()];
        for (int i = 0; i < acks.length; i++) acks[i] = send(records.get(i));
        final long reserved = bytes;
        final int recordCount = records.size();
        return CompletableFuture.allOf(acks).handle((ok, err) -> {
            if (err == null) {
                stats.requestsAccepted.increment();
                stats.samplesAccepted.add(samples);
                stats.seriesAccepted.add(series);
                stats.recordsSent.add(recordCount);
                stats.recordBytesSent.add(reserved);
                return WriteOutcome.accepted(series, samples, recordCount);
            }
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof RecordTooLargeException) {
                // The encoder keeps records under maxRecordBytes; this means the broker's limit is
                // lower. Retrying cannot help, so not a 503.
                stats.requestsInvalid.increment();
                return WriteOutcome.tooLarge("Kafka refused a record as too large (" + cause.getMessage()
                        + "); the broker's message.max.bytes is below the gateway's record size; send smaller requests");
            }
            stats.requestsUnavailable.increment();
            return WriteOutcome.unavailable("Kafka did not acknowledge the write: " + cause.getClass().getSimpleName()
                    + ": " + cause.getMessage());
        });
    }

    private CompletableFuture<Void> send(ShardedEncoder.ShardRecord r) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        long size = r.value().length;
        AtomicBoolean released = new AtomicBoolean();
        try {
            producer.send(new ProducerRecord<>(config.topic(), r.shard(), null, r.value()), (meta, e) -> {
                if (released.compareAndSet(false, true)) inFlight.release(size);
                if (e == null) f.complete(null); else f.completeExceptionally(e);
            });
        } catch (RuntimeException e) {
            // send() itself failed (metadata timeout, producer closed...): the callback may not run.
            if (released.compareAndSet(false, true)) inFlight.release(size);
            f.completeExceptionally(e);
        }
        return f;
    }
}
