/**
 * Outbound adapter for durable state in PostgreSQL: the mirror's tasks, sync state, lease and change feed
 * ({@link dev.pooltasks.adapter.out.postgres.PostgresMirrorStore}); the schema is created by the Flyway migrations in
 * {@code db/pooltasks-mirror}.
 */
package dev.pooltasks.adapter.out.postgres;
