package dev.pooltasks.domain.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tasks as {@link EncodedTasks} for tests: each held as the bytes {@code <id>}, its start time in whole seconds, and
 * every task made (asked for with {@link #get}) counted in {@code made}.
 */
public final class EncodedTaskList extends AbstractList<ScriptExecutionTask> implements EncodedTasks {
    private final List<ScriptExecutionTask> tasks;
    private final AtomicInteger made;
    private final byte[] bytes;
    private final int[] starts;

    public EncodedTaskList(List<ScriptExecutionTask> tasks, AtomicInteger made) {
        this.tasks = tasks;
        this.made = made;
        this.starts = new int[tasks.size() + 1];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < tasks.size(); i++) {
            starts[i] = out.size();
            out.writeBytes(("<" + tasks.get(i).id() + ">").getBytes(StandardCharsets.UTF_8));
        }
        starts[tasks.size()] = out.size();
        this.bytes = out.toByteArray();
    }

    @Override
    public ScriptExecutionTask get(int index) {
        made.incrementAndGet();
        return tasks.get(index);
    }

    @Override
    public int size() {
        return tasks.size();
    }

    @Override
    public long startSecond(int index) {
        return tasks.get(index).startTime().getEpochSecond();
    }

    @Override
    public String id(int index) {
        return tasks.get(index).id();
    }

    @Override
    public byte[] bytes(int index) {
        return bytes;
    }

    @Override
    public int from(int index) {
        return starts[index];
    }

    @Override
    public int to(int index) {
        return starts[index + 1];
    }
}
