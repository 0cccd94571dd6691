package dev.pooltasks.app;

import dev.pooltasks.adapter.out.redis.RedisSettings;
import dev.pooltasks.adapter.out.redis.RedisStore;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;

/**
 * Where the replicas' shared state lives: Redis when {@code pooltasks.redis.url} is set, nowhere otherwise (each
 * replica keeps its own, and no Redis code runs). Budgets and the cache tier are built on {@link #redis()}.
 */
@Singleton
public class SharedState {
    private static final Logger LOG = Logger.getLogger(SharedState.class);

    private final Optional<RedisStore> redis;

    @Inject
    SharedState(PooltasksConfig config, Vertx vertx, Clock clock, Metrics metrics) {
        PooltasksConfig.Redis redisConfig = config.redis();
        this.redis = redisConfig.url().map(url -> {
            RedisSettings settings = new RedisSettings(url, redisConfig.keyPrefix(), redisConfig.deadline(),
                    redisConfig.maxConnections(), redisConfig.openDuration(), redisConfig.replicas().orElse(0),
                    redisConfig.heartbeat());
            LOG.infof("shared state: Redis at %s, keys under %s:, each call within %d ms; %s", settings.endpoint(),
                    settings.keyPrefix(), settings.deadline().toMillis(), settings.replicas() > 0
                            ? "while it is gone each replica takes 1/" + settings.replicas() + " of every budget"
                            : "while it is gone each replica takes its share of every budget among the replicas seen");
            return new RedisStore(vertx, settings, clock, metrics).start();
        });
    }

    /** The connection to Redis, when configured. */
    public Optional<RedisStore> redis() {
        return redis;
    }

    @PreDestroy
    void close() {
        redis.ifPresent(RedisStore::close);
    }
}
