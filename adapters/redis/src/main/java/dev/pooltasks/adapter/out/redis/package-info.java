/**
 * State that the replicas of one deployment share, in Redis: rate budgets (a token bucket per name, taken atomically
 * by a Lua script on Redis's clock) and a second page cache tier (copies every replica reads, single flight across
 * replicas through a short lock key). Every call to Redis has a short deadline and passes a circuit breaker; while
 * Redis is slow or gone, budgets fall back to the in-process engine with each replica taking its share, and the cache
 * tier steps aside, so that no request fails because of Redis alone.
 */
package dev.pooltasks.adapter.out.redis;
