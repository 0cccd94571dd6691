package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.aggregation.TaskOutcome;
import dev.pooltasks.domain.model.TaskStatus;

import java.util.List;

/** The sandbox's tasks column by column, indexed by generation index: about 40 bytes a task. */
final class TaskColumns {
    static final List<TaskStatus> STATUSES = List.of(TaskStatus.FINISH, TaskStatus.FAILED, TaskStatus.RUNNING, TaskStatus.INIT);

    final long[] startSecond;
    /** Seconds from start to end; -1 while the task has not finished. */
    final int[] durationSeconds;
    final short[] pool;
    final int[] scripts;
    /** Index into the catalogue's commands; -1 for a SCRIPT task. */
    final short[] command;
    final byte[] status;
    final int[] successNum;
    final int[] failedNum;
    final int[] skipNum;

    TaskColumns(int size) {
        startSecond = new long[size];
        durationSeconds = new int[size];
        pool = new short[size];
        scripts = new int[size];
        command = new short[size];
        status = new byte[size];
        successNum = new int[size];
        failedNum = new int[size];
        skipNum = new int[size];
    }

    int size() {
        return startSecond.length;
    }

    void set(int i, long start, int duration, int poolIndex, int packedScripts, int commandIndex, TaskOutcome outcome) {
        startSecond[i] = start;
        durationSeconds[i] = duration;
        pool[i] = (short) poolIndex;
        scripts[i] = packedScripts;
        command[i] = (short) commandIndex;
        status[i] = (byte) STATUSES.indexOf(outcome.status());
        successNum[i] = outcome.successNum();
        failedNum[i] = outcome.failedNum();
        skipNum[i] = outcome.skipNum();
    }
}
