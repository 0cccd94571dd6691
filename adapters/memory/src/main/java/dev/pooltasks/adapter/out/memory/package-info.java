/**
 * State held in this process and bounded there: the page cache, the federations' answer memo and the statistics cache
 * (Caffeine, bounded by weight, evicting entry by entry) and rate budgets (Bucket4j token buckets). The default engine
 * of the domain's {@code PageCache}, {@code AnswerMemo}, {@code StatisticsCache} and {@code RateBudget} ports; state
 * that replicas must share lives in the Redis adapter instead.
 */
package dev.pooltasks.adapter.out.memory;
