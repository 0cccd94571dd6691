package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.port.out.StatisticsCache;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * The name under which replicas keep a copy: the SHA-256 of the kind of copy, the source, the query in a canonical form
 * and the SHA-256 of the caller's token (where the key has one). Equal keys give equal names on every replica; a page's
 * and a statistics copy's never meet; the name says nothing of the query and never holds a token, and it is short
 * whatever the query's length.
 */
final class CopyKeys {
    private CopyKeys() {
    }

    /** 64 hexadecimal digits. */
    static String digest(PageCache.Key key) {
        StringBuilder canonical = new StringBuilder(256).append("page-key-v1");
        field(canonical, key.source());
        filters(canonical, key.query());
        field(canonical, Integer.toString(key.query().offset()));
        field(canonical, Integer.toString(key.query().limit()));
        field(canonical, key.callerToken() == null ? null : hex(sha256(key.callerToken())));
        return hex(sha256(canonical.toString()));
    }

    /** 64 hexadecimal digits. */
    static String digest(StatisticsCache.Key key) {
        StringBuilder canonical = new StringBuilder(256).append("statistics-key-v1");
        StatisticsQuery query = key.query();
        field(canonical, key.source());
        filters(canonical, query.filters());
        field(canonical, query.grouping().name());
        field(canonical, query.timeZone().getId());
        field(canonical, key.callerToken() == null ? null : hex(sha256(key.callerToken())));
        return hex(sha256(canonical.toString()));
    }

    private static void filters(StringBuilder canonical, TaskQuery query) {
        field(canonical, query.projectId());
        field(canonical, query.desktopPoolId());
        field(canonical, query.scriptId());
        field(canonical, query.scriptName());
        field(canonical, query.status() == null ? null : query.status().value());
        field(canonical, query.taskType() == null ? null : query.taskType().name());
        field(canonical, instant(query.executeTimeStart()));
        field(canonical, instant(query.executeTimeEnd()));
        // Task ids filter as a set: their order in the request does not change the answer.
        TreeSet<String> taskIds = new TreeSet<>(query.taskIds());
        field(canonical, Integer.toString(taskIds.size()));
        taskIds.forEach(id -> field(canonical, id));
    }

    /** Each field with its length first, so that no value can pass for two (a null is "-"). */
    private static void field(StringBuilder canonical, String value) {
        if (value == null) {
            canonical.append("|-");
        } else {
            canonical.append('|').append(value.length()).append(':').append(value);
        }
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
