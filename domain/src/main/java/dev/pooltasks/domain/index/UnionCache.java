package dev.pooltasks.domain.index;

import java.util.BitSet;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The positions of the tasks that ran any of a set of scripts, kept per script set (a script name selects one of few
 * sets) up to a total weight in bytes, the oldest evicted first, one by one. Hand-written because the domain uses
 * no library; a union is cheap to compute again, so first in, first out is as good as any policy here.
 */
final class UnionCache {
    private final long maxWeight;
    private final Map<BitSet, Positions> unions = new ConcurrentHashMap<>();
    private final Queue<BitSet> insertionOrder = new ConcurrentLinkedQueue<>();
    private final AtomicLong weight = new AtomicLong();

    UnionCache(long maxWeight) {
        this.maxWeight = maxWeight;
    }

    /** The cached union of {@code scripts} (not modified, not kept), else {@code union}'s, which is then cached. */
    Positions get(BitSet scripts, Supplier<Positions> union) {
        Positions cached = unions.get(scripts);
        if (cached != null) {
            return cached;
        }
        Positions computed = union.get();
        BitSet key = (BitSet) scripts.clone();
        if (unions.putIfAbsent(key, computed) == null) {
            insertionOrder.add(key);
            weight.addAndGet(computed.weight());
            while (weight.get() > maxWeight) {
                BitSet oldest = insertionOrder.poll();
                if (oldest == null) {
                    break;
                }
                Positions evicted = unions.remove(oldest);
                if (evicted != null) {
                    weight.addAndGet(-evicted.weight());
                }
            }
        }
        return computed;
    }

    int size() {
        return unions.size();
    }

    long weight() {
        return weight.get();
    }
}
