package dev.pooltasks.app;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything under {@code pooltasks.*}. Each key can also be set as an environment variable: upper case, with dots and
 * dashes as underscores ({@code pooltasks.upstreams.east.auth.secret-key} is
 * {@code POOLTASKS_UPSTREAMS_EAST_AUTH_SECRET_KEY}).
 */
@ConfigMapping(prefix = "pooltasks")
public interface PooltasksConfig {

    Sandbox sandbox();

    /** Named upstreams that speak this API. With none configured (and no federation), the sandbox serves. */
    Map<String, Upstream> upstreams();

    /** Alias project ids that merge several (upstream, project) members. */
    Map<String, Federation> federations();

    Cache cache();

    Statistics statistics();

    /** Tuning of mirror mode ({@link Upstream#mirror()}). */
    Mirror mirror();

    @WithName("access-log")
    AccessLog accessLog();

    /** How callers of this service authenticate. With no access key and no token configured: none. */
    @WithName("auth")
    CallerAuth callerAuth();

    /** State the replicas of a deployment share, in Redis. Without {@code url}, nothing is shared. */
    Redis redis();

    /** Mirror mode's PostgreSQL. Without {@code url} no database is used, and no upstream can be mirrored. */
    Postgres postgres();

    /** The embedded upstream that serves when no upstream is configured. */
    interface Sandbox {
        /** The one project id the sandbox serves. */
        @WithDefault("0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5")
        String projectId();

        /** Seeds the generated data: the same seed, size and clock give the same tasks. */
        @WithDefault("42")
        long seed();

        /** Number of tasks to generate (up to 2,000,000). */
        @WithDefault("3000")
        int tasks();

        /**
         * The instant the data is generated relative to (tasks start within the 30 days before it). Defaults to the
         * start of the current hour, so that instances started within the same hour serve identical data.
         */
        Optional<Instant> now();

        /**
         * Live mode: besides the generated history, new tasks start as the clock moves on and run to completion
         * (INIT, RUNNING, then FINISH or FAILED), for demos and for testing mirrors. Off: the data never changes.
         */
        @WithDefault("false")
        boolean live();

        /** Live mode: how many tasks start a minute. */
        @WithDefault("6")
        int liveTasksPerMinute();

        /** Live mode: the longest a task runs (each runs 5 seconds to this long). */
        @WithDefault("10m")
        Duration liveMaxDuration();
    }

    interface Upstream {
        /** Base URL, e.g. https://workspace.cn-north-4.myhuaweicloud.com or http://other-pooltasks:8080. */
        URI url();

        /** The project ids routed to this upstream, each mapped to the upstream's own id (the same id if unchanged). */
        Map<String, String> projects();

        Auth auth();

        /** Total time for one call, retry and body included. */
        @WithDefault("2s")
        Duration deadline();

        /** Calls per minute allowed to this upstream; 0 for no limit. Workspace's own limits are 100-200 a minute. */
        @WithDefault("150")
        int rateLimitPerMinute();

        Retry retry();

        @WithName("circuit-breaker")
        CircuitBreaker circuitBreaker();

        /**
         * Calls in flight at once (the bulkhead); further calls fail fast. Calls hold no thread while in flight, so
         * this bounds memory and the upstream's load, not threads: a slot is free again only once the upstream holds
         * nothing of the call. It also bounds each event loop's connection pool to the upstream.
         */
        @WithDefault("256")
        int maxConcurrentCalls();

        /** The largest answer read from this upstream (a full page is about 30 KB); a larger one is a failure. */
        @WithDefault("4M")
        MemorySize maxAnswerSize();

        /** Whether the upstream lists tasks newest first then by id; if not, federations sort its tasks locally. */
        @WithDefault("true")
        boolean trustedOrder();

        /**
         * Whether this upstream's projects are mirrored: synced into PostgreSQL ({@code pooltasks.postgres.*}) and
         * served from the copy (see {@link Mirror}).
         */
        @WithDefault("false")
        boolean mirror();

        /**
         * Whether the upstream is a pooltasks, which serves the statistics extension: its projects' statistics are
         * then asked of it, one call each, instead of counted by walking its list (no
         * {@code pooltasks.statistics.max-listed-tasks} limit). A Workspace region serves none: leave it false there.
         */
        @WithDefault("false")
        boolean servesStatistics();
    }

    interface Auth {
        /** none, token (static X-Auth-Token), pass-through (the caller's X-Auth-Token) or aksk (SDK-HMAC-SHA256). */
        @WithDefault("none")
        String mode();

        /** The static token for mode token. Set it through the environment, never in a committed file. */
        Optional<String> token();

        Optional<String> accessKey();

        /** The secret key for mode aksk. Set it through the environment, never in a committed file. */
        Optional<String> secretKey();

        /** For temporary AK/SK credentials. */
        Optional<String> securityToken();
    }

    interface Retry {
        /** At most one retry, for connection failures and 502/503/504, when it still fits the deadline. */
        @WithDefault("true")
        boolean enabled();

        /** Mean pause before the retry; the actual pause is jittered by ±50%. */
        @WithDefault("50ms")
        Duration backoff();
    }

    /**
     * The defaults react within a few seconds at an upstream's usual 100-200 calls a minute: half of the last 10
     * calls failing (once 5 were made, so about 2 s of calls) opens the circuit; it fails fast for 5 s, then 3 probe
     * calls decide whether it closes.
     */
    interface CircuitBreaker {
        /** Percentage of failed calls in the window at which the circuit opens. */
        @WithDefault("50")
        int failureRateThreshold();

        /** The window: the last so many calls. */
        @WithDefault("10")
        int windowSize();

        /** Calls needed in the window before its failure rate counts. */
        @WithDefault("5")
        int minimumCalls();

        /** How long an open circuit fails fast before letting probe calls through. */
        @WithDefault("5s")
        Duration openDuration();

        /** Probe calls let through half-open; their failure rate closes or reopens the circuit. */
        @WithDefault("3")
        int halfOpenProbes();
    }

    interface Federation {
        /** Members as upstream:project-id, e.g. east:0a1b...,west:9f8e... */
        List<String> members();

        /** Answer with the healthy members' data (200, with X-Pooltasks-Missing-Upstreams) when some fail. */
        @WithDefault("false")
        boolean partial();
    }

    interface CallerAuth {
        /** Access keys whose AK/SK signatures (as the official SDKs sign) are accepted, by access key id. */
        Map<String, AccessKey> accessKeys();

        /** Static tokens accepted in X-Auth-Token, by a name of your choosing. */
        Map<String, Token> tokens();

        /** How far a signature's X-Sdk-Date may be from the server clock. */
        @WithDefault("15m")
        Duration maxClockSkew();

        /**
         * Whether the service may listen beyond loopback with no access key and no token configured, letting anyone
         * who reaches the port read every project. Without it such a start is refused ({@link ListenAddressGuard}).
         */
        @WithDefault("false")
        boolean allowAnonymous();
    }

    interface AccessKey {
        /** The secret key. Set it through the environment, never in a committed file. */
        String secretKey();

        /** Project ids (federation aliases included) it may read; * for all. */
        List<String> projects();

        /** Requests per minute; 0 for no limit. */
        @WithDefault("600")
        int rateLimitPerMinute();
    }

    interface Token {
        /** The token. Set it through the environment, never in a committed file. */
        String value();

        /** Project ids (federation aliases included) it may read; * for all. */
        List<String> projects();

        /** Requests per minute; 0 for no limit. */
        @WithDefault("600")
        int rateLimitPerMinute();
    }

    interface AccessLog {
        /** One log line per API request: request id, method, project, status, duration. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Statistics {
        /**
         * The most tasks counted by listing them from an upstream that only lists (one call per 100 tasks, within its
         * rate limit); statistics that need more are refused with 400 WKS.1010. An upstream that serves statistics
         * ({@code serves-statistics}) is asked instead, without this limit.
         */
        @WithDefault("2000")
        int maxListedTasks();
    }

    interface Mirror {
        /** Time between two sync cycles of a mirror (after a failure, cycles back off up to max-backoff). */
        @WithDefault("30s")
        Duration interval();

        /** How far below the newest start time already stored each walk for new tasks reaches again. */
        @WithDefault("2m")
        Duration overlap();

        /** How far back the periodic reconciliation walk reaches. */
        @WithDefault("24h")
        Duration reconcileWindow();

        /** How often a reconciliation walk starts (and retention runs). */
        @WithDefault("1h")
        Duration reconcilePeriod();

        /** Tasks that started longer ago are deleted from the mirror; unset keeps them forever. */
        Optional<Duration> retention();

        /** How long the sync lease lasts after each renewal: another replica takes over within interval + lease. */
        @WithDefault("60s")
        Duration lease();

        /** How often each replica applies the changes committed to the mirror. */
        @WithDefault("1s")
        Duration feedInterval();

        /** The longest pause between cycles (or change-feed reads) after failures. */
        @WithDefault("5m")
        Duration maxBackoff();
    }

    interface Cache {
        /** How long upstream answers (blocks) are reused; 0 disables caching and request coalescing. */
        @WithDefault("3s")
        Duration ttl();

        /** On upstream failure, serve the last good answer up to this old (marked stale); 0 never does. */
        @WithDefault("0s")
        Duration serveStaleFor();

        /**
         * The bound on the heap the cache's copies take, all upstreams together (estimated conservatively, so real use
         * is lower); the least valuable copies are evicted one by one to stay within it. Sizes like 64M or 1G.
         */
        @WithDefault("64M")
        MemorySize maxMemory();

        /**
         * The bound on the heap a federation's merged answers take (with their encoded bodies and the blocks they keep
         * alive), kept so that a query whose cached blocks are unchanged is answered with the same bytes; evicted one
         * by one to stay within it.
         */
        @WithDefault("16M")
        MemorySize maxAnswerMemory();

        /**
         * The bound on the heap the statistics asked of upstreams that serve them ({@code serves-statistics}) take
         * while reused for the ttl; evicted one by one to stay within it.
         */
        @WithDefault("4M")
        MemorySize maxStatisticsMemory();
    }

    interface Redis {
        /**
         * redis://[[user]:password@]host[:port][/database] (rediss:// for TLS): rate budgets and a second cache tier
         * shared by every replica that names the same Redis and key prefix. Absent: no connection is made.
         */
        Optional<String> url();

        /** The first part of every key: one per deployment, so that deployments sharing a Redis stay apart. */
        @WithDefault("pooltasks")
        String keyPrefix();

        /** The most any one Redis call may take; past it the request goes on without Redis. */
        @WithDefault("50ms")
        Duration deadline();

        /** Connections to Redis at most. */
        @WithDefault("16")
        int maxConnections();

        /** How long calls to Redis fail fast (not sent) once it failed repeatedly, before it is tried again. */
        @WithDefault("2s")
        Duration openDuration();

        /**
         * The number of replicas, for each one's share of every budget while Redis is gone; absent: the number of
         * replicas seen through heartbeats when Redis last answered (1 if it never did).
         */
        OptionalInt replicas();

        /** How often each replica tells Redis it is alive (a replica silent for three of these is not counted). */
        @WithDefault("5s")
        Duration heartbeat();

        /**
         * How long a replica waits for another replica's load of the same page before loading it itself; also the
         * lifetime of the lock key that lets one replica load.
         */
        @WithDefault("3s")
        Duration singleFlightWait();
    }

    interface Postgres {
        /** jdbc:postgresql://host[:port]/database, with any of the driver's parameters. Absent: no database. */
        Optional<String> url();

        Optional<String> username();

        /** Best set from the environment ({@code POOLTASKS_POSTGRES_PASSWORD}). */
        Optional<String> password();

        /** The schema of the mirror's tables, created and migrated (Flyway) when a mirror first starts. */
        @WithDefault("pooltasks")
        String schema();

        /** Connections to PostgreSQL at most (at least 2: a migration holds two). */
        @WithDefault("20")
        int maxConnections();
    }
}
