package cn.beijing.scienceedu.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Buckets in Redis (Bucket4j, compare-and-swap over Lettuce), so every gateway replica counts against the same
 * limit. Connects on first use; while Redis cannot be reached (or answers slower than 500 ms) the gateway counts in
 * memory instead (limits then hold per replica) rather than refusing or stalling traffic.
 */
class RedisBuckets implements Buckets, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);
    private static final long RETRY_NANOS = Duration.ofSeconds(5).toNanos();

    private final String url;
    private final String prefix;
    private final LocalBuckets fallback = new LocalBuckets();
    private final AtomicLong nextAttempt = new AtomicLong();
    private volatile RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile AsyncProxyManager<String> buckets;

    RedisBuckets(String url, String prefix) {
        this.url = url;
        this.prefix = prefix;
        nextAttempt.set(System.nanoTime() + RETRY_NANOS);
        connect(); // at startup, asynchronously: traffic is counted in Redis from the first request on
    }

    @Override
    public CompletableFuture<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration) {
        AsyncProxyManager<String> manager = manager();
        if (manager == null) {
            return fallback.tryConsume(key, configuration);
        }
        return manager.builder().build(prefix + key, () -> CompletableFuture.completedFuture(configuration))
                .tryConsumeAndReturnRemaining(1)
                .exceptionallyCompose(e -> {
                    log.warn("Redis rate-limit store failed ({}); counting in memory for now", e.toString());
                    return fallback.tryConsume(key, configuration);
                });
    }

    /**
     * The Redis-backed manager, or null while there is none yet. Connecting never blocks a request thread: the
     * first request starts an asynchronous connect (again at most every 5 s while it fails) and is counted in
     * memory meanwhile.
     */
    private AsyncProxyManager<String> manager() {
        AsyncProxyManager<String> current = buckets;
        if (current != null) {
            return current;
        }
        long now = System.nanoTime();
        long next = nextAttempt.get();
        if (now - next >= 0 && nextAttempt.compareAndSet(next, now + RETRY_NANOS)) {
            connect();
        }
        return null;
    }

    private synchronized void connect() {
        if (client == null) {
            client = RedisClient.create();
            client.setOptions(ClientOptions.builder()
                    .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                    // while Redis is away, fail at once (and count in memory) rather than queue and wait
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(500)))
                    .build());
        }
        client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), RedisURI.create(url))
                .whenComplete((connected, error) -> {
                    if (error != null) {
                        log.warn("Redis for rate limits unreachable ({}); counting in memory, retrying in 5s", error.toString());
                        return;
                    }
                    connection = connected;
                    buckets = Bucket4jLettuce.casBasedBuilder(connected)
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(30)))
                            .build()
                            .asAsync();
                    log.info("rate limits shared through Redis at {}", url.replaceAll("//[^@]*@", "//***@"));
                });
    }

    @Override
    public void destroy() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }
}
