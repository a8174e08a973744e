package dev.strata.query.distributed;

import dev.strata.query.engine.QueryException;
import dev.strata.query.storage.Series;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one piece of read work per shard on one ready owner of each shard: this node first when it owns
 * the shard and is caught up, then the other owners in ownership order. One call per peer carries all
 * the shards sent to it; calls run in parallel while the local part runs. A peer answers with the shards
 * it served (a {@link SelectResponse}); shards it did not serve, or all of its shards when it fails or
 * times out, go to their next owner. Shards left without an answering owner are missing: with
 * {@code partial_response=false} (see {@link QueryScope}) that fails the query naming them, otherwise
 * they are recorded in the scope for a warning. Outstanding calls are cancelled on the way out.
 */
public final class ShardRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ShardRouter.class);

    private final ShardOwners topology;
    private final LocalShards local;
    private final PeerTransport peers;

    public ShardRouter(ShardOwners topology, LocalShards local, PeerTransport peers) {
        this.topology = topology;
        this.local = local;
        this.peers = peers;
    }

    /** The status of a peer's answer when the work itself failed there (see {@link InternalRoutes#query}). */
    public static final int QUERY_FAILED = 422;

    /** The query error a peer reported: its first line is the engine's error type, the rest the message. */
    static QueryException queryFailed(PeerException e) {
        String body = e.body();
        int nl = body.indexOf('\n');
        return nl < 0 ? QueryException.execution(body) : new QueryException(body.substring(0, nl), body.substring(nl + 1));
    }

    /** A peer's answer: the shards it served and what it read from them. */
    record Answer<T>(List<Integer> served, List<T> items) {}

    /** {@link #gatherAnswers} for selects and pushed-down queries (answers are {@link SelectResponse}s), flattened. */
    public List<Series> gather(int[] shards, Function<Set<Integer>, List<Series>> readLocal,
                        BiFunction<Integer, List<Integer>, CompletableFuture<byte[]>> callPeer) {
        List<Series> out = new ArrayList<>();
        for (List<Series> a : gatherAnswers(shards, readLocal, callPeer, ShardRouter::decodeSelect)) out.addAll(a);
        return out;
    }

    static Answer<Series> decodeSelect(byte[] body) {
        SelectResponse r = SelectCodec.decodeResponse(body);
        return new Answer<>(r.served(), r.series());
    }

    /**
     * @param shards    the shards to read
     * @param readLocal reads the given ready local shards
     * @param callPeer  asks peer {@code ordinal} for the given shards; completes with the encoded answer
     * @param decode    decodes a peer's answer; a malformed one is a {@link SelectFormatException}
     * @return one list per answer (this node's part, each peer's), each covering distinct shards
     */
    <T> List<List<T>> gatherAnswers(int[] shards, Function<Set<Integer>, List<T>> readLocal,
                                    BiFunction<Integer, List<Integer>, CompletableFuture<byte[]>> callPeer,
                                    Function<byte[], Answer<T>> decode) {
        Map<Integer, ArrayList<Integer>> candidates = new LinkedHashMap<>();
        for (int s : shards) {
            ArrayList<Integer> c = new ArrayList<>();
            int[] owners = topology.owners(s);
            for (int o : owners) if (o == topology.self()) c.add(o);
            for (int o : owners) if (o != topology.self()) c.add(o);
            candidates.put(s, c);
        }
        List<List<T>> out = new ArrayList<>();
        Set<Integer> missing = new TreeSet<>();
        while (!candidates.isEmpty()) {
            Set<Integer> readHere = new TreeSet<>();
            Map<Integer, List<Integer>> byPeer = new HashMap<>();
            for (Map.Entry<Integer, ArrayList<Integer>> e : candidates.entrySet()) {
                int shard = e.getKey();
                ArrayList<Integer> c = e.getValue();
                while (!c.isEmpty() && c.get(0) == topology.self() && !local.isReady(shard)) c.remove(0);
                if (c.isEmpty()) missing.add(shard);
                else if (c.get(0) == topology.self()) readHere.add(shard);
                else byPeer.computeIfAbsent(c.get(0), k -> new ArrayList<>()).add(shard);
            }
            candidates.keySet().removeAll(missing);
            Map<Integer, CompletableFuture<byte[]>> calls = new HashMap<>();
            try {
                for (Map.Entry<Integer, List<Integer>> e : byPeer.entrySet()) calls.put(e.getKey(), callPeer.apply(e.getKey(), e.getValue()));
                if (!readHere.isEmpty()) {
                    out.add(readLocal.apply(readHere));
                    candidates.keySet().removeAll(readHere);
                }
                for (Map.Entry<Integer, CompletableFuture<byte[]>> e : calls.entrySet()) {
                    int peer = e.getKey();
                    List<Integer> asked = byPeer.get(peer);
                    Set<Integer> served = Set.of();
                    try {
                        Answer<T> resp = decode.apply(await(peer, e.getValue()));
                        served = new TreeSet<>(resp.served());
                        served.retainAll(asked);
                        out.add(resp.items());
                    } catch (ExecutionException | TimeoutException | SelectFormatException ex) {
                        Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
                        if (cause instanceof PeerException pe && pe.status() == QUERY_FAILED) throw queryFailed(pe);
                        LOG.debug("node {} did not answer for shards {}: {}", peer, asked, cause.toString());
                    }
                    for (int shard : asked) {
                        if (served.contains(shard)) candidates.remove(shard);
                        else candidates.get(shard).remove(0); // next owner
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueryException.Canceled("waiting for other nodes");
            } finally {
                for (CompletableFuture<byte[]> f : calls.values()) f.cancel(true);
            }
        }
        if (!missing.isEmpty()) {
            QueryScope scope = QueryScope.current();
            if (scope != null && !scope.partialAllowed()) {
                throw new QueryException("unavailable", "no ready owner for shards " + missing + " and partial_response=false");
            }
            if (scope != null) scope.addMissing(missing);
        }
        return out;
    }

    /**
     * The peer's answer. Waits up to the peer timeout; if the answer is not there yet, asks whether
     * the peer is alive at all ({@code /-/healthy}, peer timeout): a dead or hung peer counts as not
     * answering (its shards go to the next owner) at once, a live one is waited for up to the work
     * timeout, because a large query may take that long and is not a failure.
     */
    private byte[] await(int peer, CompletableFuture<byte[]> call) throws ExecutionException, TimeoutException, InterruptedException {
        long peerMs = peers.peerTimeout().toMillis();
        long workMs = peers.workTimeout().toMillis();
        try {
            return call.get(Math.min(peerMs, workMs), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            if (!peers.alive(peer).get()) throw new TimeoutException("node " + peer + " did not answer /-/healthy within " + peerMs + " ms");
            return call.get(Math.max(0, workMs - peerMs), TimeUnit.MILLISECONDS);
        }
    }
}
