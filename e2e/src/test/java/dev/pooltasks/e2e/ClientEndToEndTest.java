package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.ApiResponse;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.Script;
import dev.pooltasks.client.model.ScriptExecutionTask;
import dev.pooltasks.client.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.client.model.ShowScriptExecutionTaskStatisticsResponse;
import dev.pooltasks.client.model.TaskCountsGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.pooltasks.e2e.ClientQuery.query;
import static dev.pooltasks.e2e.RunningPooltasks.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The deployable artifact, seen through the generated client. Every expectation is computed from the service's own
 * data (the full task list, read once with limit 100) rather than written down.
 */
@PooltasksE2E
class ClientEndToEndTest {
    /** start_time descending, then id ascending. */
    static final Comparator<ScriptExecutionTask> API_ORDER = Comparator
            .comparing((ScriptExecutionTask task) -> Instant.parse(task.getStartTime())).reversed()
            .thenComparing(ScriptExecutionTask::getId);
    private static final String REQUEST_ID_SHAPE = "[A-Za-z0-9._-]{1,64}";

    private static DesktopPoolScriptTasksApi api;
    private static List<ScriptExecutionTask> all;

    @BeforeAll
    static void readEverything(RunningPooltasks app) throws ApiException {
        api = JdkHttp.api(app.baseUri());
        all = List.copyOf(query().fetchAll(api, 100));
    }

    // ---------------------------------------------------------------- the whole set, order, paging

    @Test
    void servesTheConfiguredSandboxAsASeparateProcess() {
        assertThat(all).hasSize(TASKS);
        assertThat(all).extracting(ScriptExecutionTask::getId).doesNotHaveDuplicates().doesNotContainNull();
        // The artifact is tested as a black box: no Quarkus classes in this JVM.
        assertThat(catchThrowableOfType(ClassNotFoundException.class,
                () -> Class.forName("io.quarkus.runtime.Quarkus"))).isNotNull();
    }

    @Test
    void theStatisticsExtensionIsGeneratedIntoTheClientAndCountsTheListedTasks() throws ApiException {
        ShowScriptExecutionTaskStatisticsResponse statistics = api.showScriptExecutionTaskStatistics(
                RunningPooltasks.PROJECT_ID, "status", null, null, null, null, null, null, "SCRIPT", null, null, null);

        List<ScriptExecutionTask> scriptTasks = all.stream().filter(task -> task.getCommandContent() == null
                || !task.getScripts().isEmpty()).toList();
        assertThat(statistics.getGroupBy()).isEqualTo("status");
        assertThat(statistics.getTotal().getTaskCount()).isEqualTo(scriptTasks.size());
        assertThat(statistics.getTotal().getFailedNum())
                .isEqualTo(scriptTasks.stream().mapToLong(ScriptExecutionTask::getFailedNum).sum());
        Map<String, Long> byStatus = scriptTasks.stream()
                .collect(Collectors.groupingBy(ScriptExecutionTask::getStatus, Collectors.counting()));
        assertThat(statistics.getGroups()).extracting(TaskCountsGroup::getKey)
                .containsExactlyElementsOf(Stream.of("FINISH", "FAILED", "RUNNING", "INIT")
                        .filter(byStatus::containsKey).toList());
        statistics.getGroups().forEach(group ->
                assertThat(group.getTaskCount()).as(group.getKey()).isEqualTo(byStatus.get(group.getKey())));
    }

    @Test
    void defaultPageIsTheFirstTenTasksAndTheTotal() throws ApiException {
        ShowDesktopPoolsScriptExecTasksResponse page = query().call(api);

        assertThat(page.getTotalCount()).isEqualTo(TASKS);
        assertThat(page.getScriptExecutionTasks()).containsExactlyElementsOf(all.subList(0, 10));
    }

    @Test
    void tasksAreOrderedByStartTimeDescendingThenIdAscending() {
        assertThat(all).isSortedAccordingTo(API_ORDER);
        // The data must contain tasks that share a start_time, or the id tie-break is not exercised.
        assertThat(tieGroups()).as("groups of tasks sharing a start_time").isNotEmpty();
        for (List<ScriptExecutionTask> group : tieGroups()) {
            assertThat(group).extracting(ScriptExecutionTask::getId).isSorted();
        }
    }

    @Test
    void pagingWithLimit7YieldsEveryTaskExactlyOnceInOrder() throws ApiException {
        List<ScriptExecutionTask> paged = query().fetchAll(api, 7);

        assertThat(paged).extracting(ScriptExecutionTask::getId).doesNotHaveDuplicates();
        assertThat(paged).containsExactlyElementsOf(all);
    }

    @Test
    void singleTaskPagesAroundTiedStartTimesMatchTheFullOrder() throws ApiException {
        for (List<ScriptExecutionTask> group : tieGroups()) {
            int first = all.indexOf(group.get(0));
            for (int position = Math.max(0, first - 1); position <= Math.min(TASKS - 1, first + group.size()); position++) {
                ShowDesktopPoolsScriptExecTasksResponse page = query().offset(position).limit(1).call(api);
                assertThat(page.getScriptExecutionTasks()).as("offset %d", position).containsExactly(all.get(position));
            }
        }
    }

    @Test
    void pagesOfEverySizeAgreeWithTheFullOrder() throws ApiException {
        for (int limit : new int[] {1, 3, 10, 33, 99, 100}) {
            for (int offset : new int[] {0, 1, 499, TASKS - limit, TASKS - 1}) {
                ShowDesktopPoolsScriptExecTasksResponse page = query().offset(offset).limit(limit).call(api);
                assertThat(page.getTotalCount()).isEqualTo(TASKS);
                assertThat(page.getScriptExecutionTasks()).as("offset %d limit %d", offset, limit)
                        .containsExactlyElementsOf(all.subList(offset, Math.min(TASKS, offset + limit)));
            }
        }
    }

    // ---------------------------------------------------------------- filters

    @Test
    void filtersByDesktopPool() throws ApiException {
        Set<String> pools = all.stream().map(ScriptExecutionTask::getDesktopPoolId).collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(pools).as("pools in the data").hasSizeGreaterThan(1);
        for (String pool : pools) {
            assertMatches(query().pool(pool), task -> task.getDesktopPoolId().equals(pool));
        }
        assertMatches(query().pool("no-such-pool"), task -> false);
    }

    @Test
    void filtersByScriptIdExactly() throws ApiException {
        Set<String> scriptIds = all.stream().flatMap(task -> scripts(task).stream()).map(Script::getId)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(scriptIds).as("scripts in the data").hasSizeGreaterThan(1);
        for (String scriptId : scriptIds) {
            assertMatches(query().scriptId(scriptId), task -> scriptIds(task).contains(scriptId));
        }
        String someId = scriptIds.iterator().next();
        // Exact, not a prefix or case-insensitive match.
        assertMatches(query().scriptId(someId.substring(0, someId.length() - 1)),
                task -> scriptIds(task).contains(someId.substring(0, someId.length() - 1)));
        assertMatches(query().scriptId(someId.toUpperCase(Locale.ROOT)),
                task -> scriptIds(task).contains(someId.toUpperCase(Locale.ROOT)));
    }

    @Test
    void filtersByScriptNameAsCaseInsensitiveSubstring() throws ApiException {
        List<String> names = all.stream().flatMap(task -> scripts(task).stream()).map(Script::getName).distinct().sorted().toList();
        assertThat(names).as("script names in the data").hasSizeGreaterThan(1);
        Set<String> needles = new LinkedHashSet<>();
        for (String name : names) {
            needles.add(name);                                                   // whole name
            needles.add(name.toUpperCase(Locale.ROOT));                          // other case
            needles.add(swapCase(name.substring(1, Math.max(2, name.length() - 1)))); // inner part, mixed case
        }
        String firstWord = names.get(0).split(" ")[0];
        needles.add(firstWord.toLowerCase(Locale.ROOT));                         // shared by several names
        needles.add("zz-no-script-is-called-this");
        int discriminating = 0;
        for (String needle : needles) {
            String lower = needle.toLowerCase(Locale.ROOT);
            List<ScriptExecutionTask> expected = assertMatches(query().scriptName(needle), task -> scripts(task).stream()
                    .anyMatch(script -> script.getName().toLowerCase(Locale.ROOT).contains(lower)));
            if (!expected.isEmpty() && expected.size() < TASKS) {
                discriminating++;
            }
        }
        assertThat(discriminating).as("needles that select some but not all tasks").isGreaterThan(needles.size() / 2);
    }

    @ParameterizedTest(name = "status={0} selects {1}")
    @CsvSource({
            "SUCCESS, FINISH",
            "FAILED,  FAILED",
            "RUNNING, RUNNING",
            "WAITING, INIT",
            "FINISH,  FINISH",
            "INIT,    INIT",
            "success, FINISH",
            "Waiting, INIT",
            "failed,  FAILED",
    })
    void filtersByStatus(String filter, String taskStatus) throws ApiException {
        assertThat(all).as("tasks with status %s in the data", taskStatus)
                .anyMatch(task -> task.getStatus().equals(taskStatus));
        assertMatches(query().status(filter), task -> task.getStatus().equals(taskStatus));
    }

    @Test
    void everyTaskReportsOneOfTheDocumentedStatuses() {
        assertThat(all).extracting(ScriptExecutionTask::getStatus)
                .allSatisfy(status -> assertThat(status).isIn("FINISH", "FAILED", "RUNNING", "INIT"));
    }

    @ParameterizedTest(name = "task_type={0}")
    @CsvSource({"SCRIPT", "COMMAND", "script", "Command"})
    void filtersByTaskType(String taskType) throws ApiException {
        boolean command = taskType.equalsIgnoreCase("COMMAND");
        List<ScriptExecutionTask> expected = assertMatches(query().taskType(taskType),
                task -> isCommand(task) == command);
        assertThat(expected).as("%s tasks in the data", taskType).isNotEmpty().hasSizeLessThan(TASKS);
    }

    @Test
    void commandAndScriptTasksAreShapedAsDocumented() {
        for (ScriptExecutionTask task : all) {
            if (isCommand(task)) {
                assertThat(task.getCommandType()).as("command_type of %s", task.getId()).isIn("POWERSHELL", "BAT", "SHELL");
            } else {
                assertThat(task.getScripts()).as("scripts of %s", task.getId()).isNotEmpty()
                        .allSatisfy(script -> {
                            assertThat(script.getId()).isNotBlank();
                            assertThat(script.getName()).isNotBlank();
                        });
                assertThat(task.getCommandContent()).isNull();
                assertThat(task.getCommandType()).isNull();
            }
            assertThat(task.getStartTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            boolean finished = task.getStatus().equals("FINISH") || task.getStatus().equals("FAILED");
            if (finished) {
                assertThat(task.getEndTime()).as("end_time of finished %s", task.getId())
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
                assertThat(Instant.parse(task.getEndTime())).isAfterOrEqualTo(Instant.parse(task.getStartTime()));
            } else {
                assertThat(task.getEndTime()).as("end_time of unfinished %s", task.getId()).isNull();
            }
            assertThat(task.getSuccessNum()).isNotNegative();
            assertThat(task.getFailedNum()).isNotNegative();
            assertThat(task.getSkipNum()).isNotNegative();
            assertThat(Instant.parse(task.getStartTime())).isBefore(Instant.parse(RunningPooltasks.NOW).plusSeconds(1));
        }
    }

    @Test
    void timeWindowIsInclusiveOnStartTime() throws ApiException {
        String newest = all.get(200).getStartTime();
        String oldest = all.get(600).getStartTime();
        List<ScriptExecutionTask> expected = assertMatches(query().start(oldest).end(newest),
                task -> !start(task).isBefore(Instant.parse(oldest)) && !start(task).isAfter(Instant.parse(newest)));
        assertThat(expected).as("both bounds are included").contains(all.get(200), all.get(600));

        // Only one bound.
        assertMatches(query().start(oldest), task -> !start(task).isBefore(Instant.parse(oldest)));
        assertMatches(query().end(newest), task -> !start(task).isAfter(Instant.parse(newest)));

        // Same instants in another notation: a numeric offset and fractional seconds.
        String oldestPlus8 = Instant.parse(oldest).atOffset(ZoneOffset.ofHours(8)).toString();
        assertMatches(query().start(oldestPlus8).end(newest.replace("Z", ".000Z")),
                task -> !start(task).isBefore(Instant.parse(oldest)) && !start(task).isAfter(Instant.parse(newest)));

        // Half a second after a task's start excludes it; half a second before its start includes it.
        String justAfter = Instant.parse(oldest).plusMillis(500).toString();
        assertMatches(query().start(justAfter).end(newest),
                task -> start(task).isAfter(Instant.parse(oldest)) && !start(task).isAfter(Instant.parse(newest)));
        String justBefore = Instant.parse(newest).minusMillis(500).toString();
        assertMatches(query().start(oldest).end(justBefore),
                task -> !start(task).isBefore(Instant.parse(oldest)) && start(task).isBefore(Instant.parse(newest)));
    }

    @Test
    void aWindowOfOneInstantSelectsTheTasksStartingThen() throws ApiException {
        for (List<ScriptExecutionTask> group : tieGroups()) {
            String instant = group.get(0).getStartTime();
            List<ScriptExecutionTask> expected = assertMatches(query().start(instant).end(instant),
                    task -> task.getStartTime().equals(instant));
            assertThat(expected).containsExactlyElementsOf(group);
        }
        String single = all.get(0).getStartTime();
        assertMatches(query().start(single).end(single), task -> task.getStartTime().equals(single));
    }

    @Test
    void filtersByRepeatedTaskId() throws ApiException {
        List<ScriptExecutionTask> chosen = new ArrayList<>(List.of(all.get(0), all.get(3), all.get(500), all.get(TASKS - 1)));
        for (List<ScriptExecutionTask> group : tieGroups()) {
            chosen.addAll(group);
        }
        List<String> ids = new ArrayList<>(chosen.stream().map(ScriptExecutionTask::getId).toList());
        Collections.reverse(ids);
        ids.add("no-such-task");
        Set<String> wanted = Set.copyOf(ids);

        List<ScriptExecutionTask> expected = assertMatches(query().taskIds(ids), task -> wanted.contains(task.getId()));
        assertThat(expected).hasSize(chosen.size());

        ShowDesktopPoolsScriptExecTasksResponse one = query().taskIds(List.of(all.get(42).getId())).call(api);
        assertThat(one.getTotalCount()).isEqualTo(1);
        assertThat(one.getScriptExecutionTasks()).containsExactly(all.get(42));
    }

    @Test
    void acceptsAHundredTaskIds() throws ApiException {
        List<String> ids = IntStream.range(0, 100).map(i -> TASKS - 1 - 7 * i).mapToObj(i -> all.get(i).getId()).toList();
        Set<String> wanted = Set.copyOf(ids);
        List<ScriptExecutionTask> expected = assertMatches(query().taskIds(ids), task -> wanted.contains(task.getId()));
        assertThat(expected).hasSize(100);
    }

    @Test
    void filtersCombineWithAnd() throws ApiException {
        Map<String, Long> perPool = all.stream().collect(Collectors.groupingBy(ScriptExecutionTask::getDesktopPoolId,
                LinkedHashMap::new, Collectors.counting()));
        String pool = perPool.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String from = all.get(700).getStartTime();
        String to = all.get(100).getStartTime();

        List<ScriptExecutionTask> expected = assertMatches(
                query().pool(pool).status("SUCCESS").taskType("SCRIPT").start(from).end(to),
                task -> task.getDesktopPoolId().equals(pool) && task.getStatus().equals("FINISH") && !isCommand(task)
                        && !start(task).isBefore(Instant.parse(from)) && !start(task).isAfter(Instant.parse(to)));
        assertThat(expected).as("tasks matching all filters").isNotEmpty();

        // The same combination read 7 at a time.
        assertThat(query().pool(pool).status("SUCCESS").taskType("SCRIPT").start(from).end(to).fetchAll(api, 7))
                .containsExactlyElementsOf(expected);

        ScriptExecutionTask withScript = expected.get(0);
        Script script = withScript.getScripts().get(0);
        String nameNeedle = script.getName().substring(0, 3).toUpperCase(Locale.ROOT);
        assertMatches(query().pool(pool).scriptId(script.getId()).scriptName(nameNeedle).taskType("SCRIPT"),
                task -> task.getDesktopPoolId().equals(pool) && scriptIds(task).contains(script.getId())
                        && scripts(task).stream().anyMatch(s -> s.getName().toUpperCase(Locale.ROOT).contains(nameNeedle)));

        List<String> ids = all.subList(0, 300).stream().map(ScriptExecutionTask::getId).toList();
        assertMatches(query().taskIds(ids.subList(0, 100)).taskType("COMMAND"),
                task -> ids.subList(0, 100).contains(task.getId()) && isCommand(task));
        assertMatches(query().taskType("COMMAND").scriptName("a"), task -> false);
    }

    // ---------------------------------------------------------------- limit 0, offsets past the end

    @Test
    void limitZeroGivesTheTotalAndNoTasks() throws ApiException {
        ShowDesktopPoolsScriptExecTasksResponse everything = query().limit(0).call(api);
        assertThat(everything.getTotalCount()).isEqualTo(TASKS);
        assertThat(everything.getScriptExecutionTasks()).isEmpty();

        long failed = all.stream().filter(task -> task.getStatus().equals("FAILED")).count();
        ShowDesktopPoolsScriptExecTasksResponse filtered = query().status("FAILED").limit(0).offset(3).call(api);
        assertThat(filtered.getTotalCount()).isEqualTo((int) failed);
        assertThat(filtered.getScriptExecutionTasks()).isEmpty();
    }

    @Test
    void offsetPastTheEndGivesAnEmptyPageAndTheTrueTotal() throws ApiException {
        for (int offset : new int[] {TASKS, TASKS + 1, TASKS + 50, Integer.MAX_VALUE - 5, Integer.MAX_VALUE}) {
            ShowDesktopPoolsScriptExecTasksResponse page = query().offset(offset).limit(100).call(api);
            assertThat(page.getTotalCount()).as("offset %d", offset).isEqualTo(TASKS);
            assertThat(page.getScriptExecutionTasks()).as("offset %d", offset).isEmpty();
        }
        ShowDesktopPoolsScriptExecTasksResponse tail = query().offset(TASKS - 3).call(api);
        assertThat(tail.getTotalCount()).isEqualTo(TASKS);
        assertThat(tail.getScriptExecutionTasks()).containsExactlyElementsOf(all.subList(TASKS - 3, TASKS));

        long commands = all.stream().filter(ClientEndToEndTest::isCommand).count();
        ShowDesktopPoolsScriptExecTasksResponse filtered = query().taskType("COMMAND").offset((int) commands).call(api);
        assertThat(filtered.getTotalCount()).isEqualTo((int) commands);
        assertThat(filtered.getScriptExecutionTasks()).isEmpty();
    }

    // ---------------------------------------------------------------- errors and request ids

    static Stream<Arguments> invalidQueries() {
        List<String> tooManyIds = IntStream.rangeClosed(1, 101).mapToObj(i -> "task-" + i).toList();
        return Stream.of(
                Arguments.of("limit=101", query().limit(101), "limit"),
                Arguments.of("limit=-1", query().limit(-1), "limit"),
                Arguments.of("offset=-1", query().offset(-1), "offset"),
                Arguments.of("status=bogus", query().status("bogus"), "status"),
                Arguments.of("task_type=bogus", query().taskType("bogus"), "task_type"),
                Arguments.of("execute_time_start=garbage", query().start("garbage"), "execute_time_start"),
                Arguments.of("execute_time_end=garbage", query().end("garbage"), "execute_time_end"),
                Arguments.of("execute_time_start=2026-10-20 (no time)", query().start("2026-10-20"), "execute_time_start"),
                Arguments.of("start after end", query().start("2026-10-20T00:00:01Z").end("2026-10-20T00:00:00Z"),
                        "execute_time_start"),
                Arguments.of("101 task_id", query().taskIds(tooManyIds), "task_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidQueries")
    void invalidParametersAreA400WithAnErrorBody(String description, ClientQuery invalid, String parameter) throws Exception {
        ApiException error = catchThrowableOfType(ApiException.class, () -> invalid.call(api));

        assertThat(error).as(description).isNotNull();
        assertThat(error.getCode()).isEqualTo(400);
        JsonNode body = errorBody(error);
        assertThat(body.path("error_code").isTextual()).as("error_code is a string in %s", body).isTrue();
        assertThat(body.path("error_code").asText()).isEqualTo("WKS.1001");
        assertThat(body.path("error_msg").isTextual()).as("error_msg is a string in %s", body).isTrue();
        assertThat(body.path("error_msg").asText()).isNotBlank();
        assertThat(body.path("error_detail").asText()).isEqualTo(parameter);
        assertThat(error.getResponseHeaders().firstValue("X-Request-Id")).hasValueSatisfying(
                id -> assertThat(id).matches(REQUEST_ID_SHAPE));
    }

    @Test
    void anUnknownProjectIsA404() throws Exception {
        ApiException error = catchThrowableOfType(ApiException.class,
                () -> query().project("ffffffffffffffffffffffffffffffff").call(api));

        assertThat(error).isNotNull();
        assertThat(error.getCode()).isEqualTo(404);
        JsonNode body = errorBody(error);
        assertThat(body.path("error_code").asText()).isEqualTo("WKS.1002");
        assertThat(body.path("error_msg").isTextual()).isTrue();
        assertThat(body.path("error_msg").asText()).isNotBlank();
        assertThat(error.getResponseHeaders().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void aSaneRequestIdIsEchoedAndAnyOtherReplaced() throws Exception {
        String sane = "e2e-Req_1." + "x".repeat(54);
        assertThat(sane).hasSize(64);
        ApiResponse<ShowDesktopPoolsScriptExecTasksResponse> ok = query().limit(1)
                .headers(Map.of("X-Request-Id", sane)).callWithHttpInfo(api);
        assertThat(ok.getHeaders().get("x-request-id")).containsExactly(sane);

        ApiException error = catchThrowableOfType(ApiException.class,
                () -> query().limit(101).headers(Map.of("X-Request-Id", sane)).call(api));
        assertThat(error.getResponseHeaders().allValues("X-Request-Id")).containsExactly(sane);

        for (String insane : List.of("x".repeat(65), "has space", "semi;colon", "ünïcode")) {
            ApiResponse<ShowDesktopPoolsScriptExecTasksResponse> replaced = query().limit(0)
                    .headers(Map.of("X-Request-Id", insane)).callWithHttpInfo(api);
            assertThat(replaced.getHeaders().get("x-request-id")).as("for %s", insane)
                    .singleElement().satisfies(id -> assertThat(id).isNotEqualTo(insane).matches(REQUEST_ID_SHAPE));
        }

        ApiResponse<ShowDesktopPoolsScriptExecTasksResponse> none = query().limit(0).callWithHttpInfo(api);
        ApiResponse<ShowDesktopPoolsScriptExecTasksResponse> another = query().limit(0).callWithHttpInfo(api);
        assertThat(none.getHeaders().get("x-request-id")).singleElement().satisfies(id -> assertThat(id).matches(REQUEST_ID_SHAPE));
        assertThat(another.getHeaders().get("x-request-id")).doesNotContainAnyElementsOf(none.getHeaders().get("x-request-id"));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Reads every task matching the query (limit 100 pages) and asserts that it is exactly the tasks of the full set
     * that satisfy the predicate, in API order, with total_count equal to their number. Returns them.
     */
    private static List<ScriptExecutionTask> assertMatches(ClientQuery query, Predicate<ScriptExecutionTask> expectation)
            throws ApiException {
        List<ScriptExecutionTask> expected = all.stream().filter(expectation).toList();
        List<ScriptExecutionTask> actual = query.fetchAll(api, 100);
        assertThat(actual).extracting(ScriptExecutionTask::getId)
                .as("ids of the tasks matching %s", describe(query))
                .containsExactlyElementsOf(expected.stream().map(ScriptExecutionTask::getId).toList());
        assertThat(actual).containsExactlyElementsOf(expected);
        ShowDesktopPoolsScriptExecTasksResponse count = query.offset(0).limit(0).call(api);
        assertThat(count.getTotalCount()).as("total_count for %s", describe(query)).isEqualTo(expected.size());
        return expected;
    }

    private static String describe(ClientQuery query) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("desktop_pool_id", query.desktopPoolId);
        set.put("script_id", query.scriptId);
        set.put("script_name", query.scriptName);
        set.put("status", query.status);
        set.put("task_type", query.taskType);
        set.put("execute_time_start", query.executeTimeStart);
        set.put("execute_time_end", query.executeTimeEnd);
        set.put("task_id", query.taskIds == null ? null : query.taskIds.size() + " ids");
        set.values().removeIf(java.util.Objects::isNull);
        return set.toString();
    }

    private static List<List<ScriptExecutionTask>> tieGroups() {
        return all.stream().collect(Collectors.groupingBy(ScriptExecutionTask::getStartTime, LinkedHashMap::new,
                        Collectors.toList()))
                .values().stream().filter(group -> group.size() > 1).toList();
    }

    static boolean isCommand(ScriptExecutionTask task) {
        return task.getCommandContent() != null && scripts(task).isEmpty();
    }

    private static List<Script> scripts(ScriptExecutionTask task) {
        return task.getScripts() == null ? List.of() : task.getScripts();
    }

    private static Set<String> scriptIds(ScriptExecutionTask task) {
        return scripts(task).stream().map(Script::getId).collect(Collectors.toSet());
    }

    private static Instant start(ScriptExecutionTask task) {
        return Instant.parse(task.getStartTime());
    }

    private static String swapCase(String text) {
        return text.chars().mapToObj(c -> Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
                .map(c -> String.valueOf((char) (int) c)).collect(Collectors.joining());
    }

    private static JsonNode errorBody(ApiException error) throws Exception {
        assertThat(error.getResponseBody()).as("error body").isNotBlank();
        JsonNode body = new ObjectMapper().readTree(error.getResponseBody());
        assertThat(body.isObject()).as("error body %s", error.getResponseBody()).isTrue();
        return body;
    }

}
