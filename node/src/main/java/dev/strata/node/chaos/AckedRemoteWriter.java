package dev.strata.node.chaos;

import dev.strata.ingest.bench.RemoteWriteRequestEncoder;
import dev.strata.store.concurrent.NamedThreads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.xerial.snappy.Snappy;

/**
 * A Prometheus remote-write client on its own thread that sends the steps of a {@link SentSamples}
 * one request at a time, in order, and records which were acknowledged (2xx). Like Prometheus, it
 * retries a failed request (connection refused or reset, timeout, 5xx, 429) a few times, against the next
 * target, before it gives the step up and moves on; a retry of a request that was partly written
 * sends the same samples again, which the store must not duplicate.
 *
 * <p>Every answer is kept as an {@link Attempt} (time, step, status), so a test can assert what the
 * gateway said during an outage.
 */
public final class AckedRemoteWriter implements AutoCloseable {
    /** One request: when it ended (ms since the writer started), its step, the HTTP status or -1 for an I/O error/timeout. */
    public record Attempt(long atMs, int step, int status, String detail) {}

    private final SentSamples samples;
    private final IntFunction<String> target;
    private final int attemptsPerStep;
    private final Duration pace;
    private final Duration requestTimeout;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicInteger nextStep = new AtomicInteger();
    private final Thread thread;
    private final long startNanos = System.nanoTime();
    private volatile boolean stopping;
    private volatile Throwable failure;

    /**
     * @param target          base URL of the node to send to, given the attempt number (rotate on failure)
     * @param attemptsPerStep tries per step before it is given up (unacknowledged)
     * @param pace            pause between steps (and between retries)
     * @param requestTimeout  a request without an answer by then counts as failed (not acknowledged)
     */
    public AckedRemoteWriter(SentSamples samples, IntFunction<String> target, int attemptsPerStep, Duration pace,
                             Duration requestTimeout) {
        this("acked-remote-writer", samples, target, attemptsPerStep, pace, requestTimeout);
    }

    /** As above, on a thread named {@code name}. */
    public AckedRemoteWriter(String name, SentSamples samples, IntFunction<String> target, int attemptsPerStep, Duration pace,
                             Duration requestTimeout) {
        this.samples = samples;
        this.target = target;
        this.attemptsPerStep = attemptsPerStep;
        this.pace = pace;
        this.requestTimeout = requestTimeout;
        this.thread = NamedThreads.named(name).newThread(this::run); // a daemon
    }

    public AckedRemoteWriter start() {
        thread.start();
        return this;
    }

    private void run() {
        RemoteWriteRequestEncoder encoder = new RemoteWriteRequestEncoder();
        int attempt = 0;
        try {
            for (int step = 0; step < samples.maxSteps() && !stopping; step++) {
                nextStep.set(step);
                byte[] body = Snappy.compress(encoder.encode(samples.series(), samples.values(step), 0,
                        samples.series().size(), samples.timestamp(step)));
                boolean mayHaveArrived = false;
                for (int tries = 0; tries < attemptsPerStep && !stopping; tries++) {
                    String base = target.apply(attempt++);
                    int status;
                    String detail = "";
                    samples.markSending(step);
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                                .timeout(requestTimeout)
                                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                        status = r.statusCode();
                        detail = r.body();
                        mayHaveArrived = true;
                    } catch (java.net.ConnectException e) {
                        status = -1;
                        detail = "connect: " + e;
                        if (!mayHaveArrived) samples.markNotSent(step); // no attempt of this step left the client
                    } catch (IOException e) {
                        status = -1;
                        detail = e.toString();
                        mayHaveArrived = true;
                    }
                    record(new Attempt(elapsedMs(), step, status, detail));
                    if (status / 100 == 2) {
                        samples.markAcknowledged(step);
                        break;
                    }
                    if (status / 100 == 4 && status != 429) { // 429: back-pressure, retried as Prometheus does
                        throw new IllegalStateException("the node rejected step " + step + " with " + status + ": " + detail);
                    }
                    sleep(pace);
                }
                sleep(pace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private synchronized void record(Attempt a) {
        attempts.add(a);
    }

    /** Every request so far, in order. */
    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** Whether the writer thread ended (all steps sent, stopped, or failed). */
    public boolean finished() {
        return !thread.isAlive();
    }

    /** Why the writer thread failed (e.g. a 4xx answer), or null. */
    public Throwable failure() {
        return failure;
    }

    /** The step being sent (or last sent). */
    public int currentStep() {
        return nextStep.get();
    }

    /** Milliseconds since this writer was created (the clock of {@link Attempt#atMs()}). */
    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Waits until at least {@code count} more steps than now are acknowledged, or fails after {@code timeout}. */
    public void awaitMoreAcknowledged(int count, Duration timeout) throws InterruptedException {
        int want = samples.acknowledgedSteps() + count;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (samples.acknowledgedSteps() < want) {
            checkFailure();
            if (!thread.isAlive()) throw new AssertionError("the writer ended after step " + currentStep());
            if (System.nanoTime() > deadline) {
                List<Attempt> all = attempts();
                throw new AssertionError("no " + count + " more acknowledged steps within " + timeout.toSeconds()
                        + " s; last answers: " + all.subList(Math.max(0, all.size() - 5), all.size()));
            }
            Thread.sleep(20);
        }
    }

    /** Stops after the request in flight (its outcome is recorded) and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.join(requestTimeout.toMillis() + 5_000);
        if (thread.isAlive()) throw new AssertionError("the writer did not stop");
        checkFailure();
    }

    private void checkFailure() {
        if (failure != null) throw new AssertionError("the writer failed: " + failure, failure);
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero()) Thread.sleep(d.toMillis());
    }
}
