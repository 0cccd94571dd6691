package dev.pooltasks.adapter.out.workspace;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers how calls ended: attempt outcomes and rejections, in order. */
final class RecordingListener implements UpstreamCallListener {
    final List<String> outcomes = new CopyOnWriteArrayList<>();
    final List<String> rejections = new CopyOnWriteArrayList<>();

    @Override
    public void completed(String upstream, String outcome, long nanos) {
        outcomes.add(outcome);
    }

    @Override
    public void rejected(String upstream, String reason) {
        rejections.add(reason);
    }
}
