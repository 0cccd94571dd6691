package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.EncodedTaskList;
import dev.pooltasks.domain.model.EncodedTasks;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.service.FederatedTaskSource.Member;
import dev.pooltasks.domain.service.FederatedTaskSource.Reading;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pooltasks.domain.service.FederatedTaskSourceTest.load;
import static dev.pooltasks.domain.service.FederatedTaskSourceTest.projectOf;
import static dev.pooltasks.domain.service.FederatedTaskSourceTest.query;
import static dev.pooltasks.domain.service.FederatedTaskSourceTest.randomTasks;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members whose answers hold {@link EncodedTasks} are merged by their tasks' start times and ids alone: no task is made,
 * and the answer's tasks stay encoded, each with the bytes of the task it is. A member answering made tasks makes the
 * answer's tasks made too. Either way the answer is the one over made tasks.
 */
class FederatedEncodedTasksTest {
    private final AtomicInteger made = new AtomicInteger();
    private final Map<String, InMemoryUpstream> upstreams = Map.of(
            "a", InMemoryUpstream.serving(projectOf("a"), randomTasks(15, "a", 130)),
            "b", InMemoryUpstream.serving(projectOf("b"), randomTasks(15, "b", 90)),
            "c", InMemoryUpstream.serving(projectOf("c"), randomTasks(15, "c", 40)));

    @Test
    void membersEncodedAreMergedWithoutMakingTasksAndTheAnswerKeepsTheirBytes() {
        Random random = new Random(15);
        for (Reading reading : Reading.values()) {
            for (int i = 0; i < 300; i++) {
                TaskQuery query = query(random.nextInt(160), random.nextInt(101));
                TaskPage plain = load(federation(reading, false, false, true), query);
                made.set(0);

                TaskPage encoded = load(federation(reading, true, true, true), query);

                assertThat(made).as("tasks made by the merge").hasValue(0);
                assertThat(encoded.tasks()).isInstanceOf(EncodedTasks.class);
                EncodedTasks tasks = (EncodedTasks) encoded.tasks();
                assertThat(encoded).isEqualTo(plain);
                for (int k = 0; k < tasks.size(); k++) {
                    String bytes = new String(tasks.bytes(k), tasks.from(k), tasks.to(k) - tasks.from(k),
                            StandardCharsets.UTF_8);
                    assertThat(bytes).isEqualTo("<" + plain.tasks().get(k).id() + ">");
                }
            }
        }
    }

    @Test
    void aMemberWithMadeTasksOrReadWholeMakesTheAnswersTasks() {
        Random random = new Random(25);
        for (int i = 0; i < 100; i++) {
            TaskQuery query = query(random.nextInt(160), 1 + random.nextInt(100));
            TaskPage plain = load(federation(Reading.UP_TO_PAGE_END, false, false, true), query);

            TaskPage cMade = load(federation(Reading.UP_TO_PAGE_END, true, false, true), query);
            TaskPage cReadWhole = load(federation(Reading.UP_TO_PAGE_END, true, true, false), query);

            assertThat(cMade).isEqualTo(plain);
            assertThat(cReadWhole).isEqualTo(load(federation(Reading.UP_TO_PAGE_END, false, false, false), query));
            // (the answer of a page holding none of c's tasks stays encoded)
            if (cMade.tasks().stream().anyMatch(task -> task.id().contains("-c-"))) {
                assertThat(cMade.tasks()).isNotInstanceOf(EncodedTasks.class);
            }
            if (cReadWhole.tasks().stream().anyMatch(task -> task.id().contains("-c-"))) {
                assertThat(cReadWhole.tasks()).isNotInstanceOf(EncodedTasks.class);
            }
        }
    }

    /** Members a and b, encoded when {@code encodeAB}, and c: encoded when {@code encodeC}, read whole unless trusted. */
    private FederatedTaskSource federation(Reading reading, boolean encodeAB, boolean encodeC, boolean trustC) {
        return new FederatedTaskSource("all", List.of(
                member("a", encodeAB, true), member("b", encodeAB, true), member("c", encodeC, trustC)),
                false, reading);
    }

    private Member member(String name, boolean encoded, boolean trusted) {
        InMemoryUpstream upstream = upstreams.get(name);
        LoadScriptExecutionTasksPort source = encoded ? new LoadScriptExecutionTasksPort() {
            @Override
            public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
                return upstream.loadTasks(query, caller)
                        .thenApply(page -> new TaskPage(page.totalCount(), new EncodedTaskList(page.tasks(), made)));
            }
        } : upstream;
        return new Member(name, projectOf(name), source, trusted);
    }
}
