package dev.pooltasks.adapter.out.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every call a store reported, as "operation outcome". */
final class RecordedCalls implements RedisCallListener {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void called(String operation, String outcome, long nanos) {
        calls.add(operation + " " + outcome);
    }

    long count(String operationAndOutcome) {
        return calls.stream().filter(operationAndOutcome::equals).count();
    }
}
