package dev.strata.node;

import dev.strata.node.config.ClusterSettings;
import dev.strata.node.config.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connecting to Kafka at node start: an Admin client that has seen the cluster answer, and the
 * samples topic with exactly {@code shards} partitions (created if absent, with the configured
 * replication factor, min.insync.replicas and retention). A topic with another partition count fails
 * the attempt: shard i is partition i, so the two must agree.
 */
public final class KafkaSetup {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSetup.class);

    private KafkaSetup() {}

    /** A connector whose value is the Admin client; closing the connector closes the client. */
    public static Connector<Admin> connector(KafkaSettings kafka, ClusterSettings cluster) {
        return new Connector<>("kafka", cluster.connectRetryInterval(), ex -> attempt(kafka, cluster, ex),
                admin -> admin.close(Duration.ofSeconds(5)));
    }

    static CompletableFuture<Admin> attempt(KafkaSettings kafka, ClusterSettings cluster, Executor executor) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "strata-node-" + cluster.ordinal() + "-admin");
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, kafka.requestTimeout().toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        Admin admin = Admin.create(p);
        return admin.describeCluster().nodes().toCompletionStage().toCompletableFuture()
                .thenComposeAsync(nodes -> {
                    if (nodes.isEmpty()) {
                        throw new IllegalStateException("the cluster at " + kafka.bootstrapServers() + " reports no brokers");
                    }
                    return ensureTopic(admin, kafka, cluster.shards(), nodes.size(), executor);
                }, executor)
                .handleAsync((ok, error) -> {
                    if (error != null) {
                        admin.close(Duration.ZERO);
                        throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                    }
                    return admin;
                }, executor);
    }

    private static CompletableFuture<Void> ensureTopic(Admin admin, KafkaSettings kafka, int shards, int brokers, Executor executor) {
        String topic = kafka.topic();
        return describe(admin, topic).handleAsync((description, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause == null) {
                return checkPartitions(description, shards);
            }
            if (!(cause instanceof UnknownTopicOrPartitionException)) {
                throw new CompletionException(cause);
            }
            short rf = kafka.effectiveReplicationFactor(brokers);
            short minIsr = kafka.effectiveMinInsyncReplicas(rf);
            if (minIsr > rf) {
                throw new CompletionException(new IllegalStateException("kafka.min-insync-replicas=" + minIsr
                        + " exceeds the replication factor " + rf + " (kafka.replication-factor): no write could be acknowledged"));
            }
            if (rf < 3) {
                LOG.warn("kafka: creating topic {} with replication factor {} ({} brokers): a lost broker disk loses"
                        + " acknowledged samples not yet flushed to Cassandra; use 3 replicas in production", topic, rf, brokers);
            }
            // Explicit, so the guarantee does not depend on the brokers' defaults: acks=all waits for
            // min.insync.replicas copies; retention bounds how long a Cassandra outage can be ridden out.
            NewTopic newTopic = new NewTopic(topic, shards, rf).configs(Map.of(
                    "min.insync.replicas", Short.toString(minIsr),
                    "retention.ms", Long.toString(kafka.retention().toMillis())));
            return admin.createTopics(List.of(newTopic)).all().toCompletionStage().toCompletableFuture()
                    .handle((v, createError) -> {
                        Throwable c = createError instanceof CompletionException && createError.getCause() != null
                                ? createError.getCause() : createError;
                        if (c == null) {
                            LOG.info("kafka: created topic {} with {} partitions, replication factor {}, min.insync.replicas {},"
                                    + " retention {}", topic, shards, rf, minIsr, kafka.retention());
                            return (Void) null;
                        }
                        if (c instanceof TopicExistsException) {
                            return (Void) null; // another node created it meanwhile; the next attempt checks it
                        }
                        throw new CompletionException(c);
                    });
        }, executor).thenCompose(f -> f);
    }

    private static CompletableFuture<TopicDescription> describe(Admin admin, String topic) {
        return admin.describeTopics(List.of(topic)).allTopicNames().toCompletionStage().toCompletableFuture()
                .thenApply((Map<String, TopicDescription> m) -> m.get(topic));
    }

    private static CompletableFuture<Void> checkPartitions(TopicDescription d, int shards) {
        int partitions = d.partitions().size();
        if (partitions != shards) {
            return CompletableFuture.failedFuture(new IllegalStateException("topic " + d.name() + " has " + partitions
                    + " partitions but shards=" + shards + "; they must be equal (partition i is shard i)"));
        }
        LOG.info("kafka: topic {} has {} partitions", d.name(), partitions);
        return CompletableFuture.completedFuture(null);
    }
}
