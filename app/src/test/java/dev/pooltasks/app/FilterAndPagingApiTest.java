package dev.pooltasks.app;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static dev.pooltasks.app.TaskApi.get;
import static dev.pooltasks.app.TaskApi.scripts;
import static dev.pooltasks.app.TaskApi.tasks;
import static dev.pooltasks.app.TaskApi.total;
import static dev.pooltasks.app.TaskApi.walk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every filter, paging and order rule over HTTP. Expectations come from the whole data set, fetched through the API
 * and filtered here with plain predicates that restate the rules, never from the service's own code.
 */
@QuarkusTest
class FilterAndPagingApiTest {
    /** The whole data set; fetched once, on the first test (RestAssured points at the test instance only then). */
    private static List<Map<String, Object>> all;

    @BeforeEach
    void fetchEverythingOnce() {
        if (all == null) {
            all = walk(100);
            assertThat(all).hasSizeGreaterThan(1000);
        }
    }

    @Test
    void defaultPageIsTheFirstTenInOrder() {
        var response = get();
        assertThat(total(response)).isEqualTo(all.size());
        assertThat(ids(tasks(response))).isEqualTo(ids(all.subList(0, 10)));
    }

    @Test
    void orderIsStartTimeDescendingThenIdAscending() {
        Comparator<Map<String, Object>> order = Comparator
                .comparing((Map<String, Object> t) -> Instant.parse((String) t.get("start_time"))).reversed()
                .thenComparing(t -> (String) t.get("id"));
        assertThat(all).isSortedAccordingTo(order);
        assertThat(new HashSet<>(ids(all))).hasSize(all.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 100})
    void pagingWithAnyLimitYieldsEveryTaskOnceInOrder(int limit) {
        List<Map<String, Object>> walked = limit == 1 ? walk(limit, "status", "FAILED") : walk(limit);
        List<Map<String, Object>> expected = limit == 1 ? filter(t -> "FAILED".equals(t.get("status"))) : all;
        assertThat(ids(walked)).isEqualTo(ids(expected));
    }

    @Test
    void limitZeroReturnsTheTrueTotalAndNoTasks() {
        var response = get("limit", 0, "task_type", "COMMAND");
        assertThat(tasks(response)).isEmpty();
        assertThat(total(response)).isEqualTo(filter(t -> t.get("command_content") != null).size()).isPositive();
    }

    @Test
    void offsetPastTheEndReturnsNoTasksAndTheTrueTotal() {
        var response = get("offset", all.size() + 5, "limit", 100);
        assertThat(tasks(response)).isEmpty();
        assertThat(total(response)).isEqualTo(all.size());
        var maxOffset = get("offset", Integer.MAX_VALUE, "limit", 100);
        assertThat(tasks(maxOffset)).isEmpty();
        assertThat(total(maxOffset)).isEqualTo(all.size());
    }

    @Test
    void lastPartialPageHoldsTheRemainder() {
        var response = get("offset", all.size() - 3, "limit", 100);
        assertThat(ids(tasks(response))).isEqualTo(ids(all.subList(all.size() - 3, all.size())));
    }

    @Test
    void desktopPoolIdMatchesExactly() {
        String pool = (String) all.get(all.size() / 2).get("desktop_pool_id");
        assertFilter(t -> pool.equals(t.get("desktop_pool_id")), "desktop_pool_id", pool);
        assertFilter(t -> false, "desktop_pool_id", pool.substring(0, 8));
        assertFilter(t -> false, "desktop_pool_id", pool.toUpperCase(Locale.ROOT));
    }

    @Test
    void scriptIdMatchesAnyOfTheTasksScripts() {
        Map<String, Object> multiScript = all.stream().filter(t -> scripts(t).size() >= 2).findFirst().orElseThrow();
        String second = (String) scripts(multiScript).get(1).get("id");
        assertFilter(t -> scripts(t).stream().anyMatch(s -> second.equals(s.get("id"))), "script_id", second);
    }

    @ParameterizedTest
    @ValueSource(strings = {"install", "INSTALL CHROME", "chrome", "Logs", "e", "no such script name"})
    void scriptNameIsACaseInsensitiveSubstringOfAnyScriptName(String fragment) {
        String needle = fragment.toLowerCase(Locale.ROOT);
        assertFilter(t -> scripts(t).stream()
                .anyMatch(s -> ((String) s.get("name")).toLowerCase(Locale.ROOT).contains(needle)), "script_name", fragment);
    }

    @ParameterizedTest
    @CsvSource({"SUCCESS,FINISH", "FAILED,FAILED", "RUNNING,RUNNING", "WAITING,INIT", "FINISH,FINISH", "INIT,INIT",
            "success,FINISH", "Waiting,INIT"})
    void statusFilterMapsTheDocumentedVocabularyToTaskStatus(String filter, String taskStatus) {
        assertFilter(t -> taskStatus.equals(t.get("status")), "status", filter);
    }

    @Test
    void sandboxHasEveryStatus() {
        Set<Object> statuses = all.stream().map(t -> t.get("status")).collect(Collectors.toSet());
        assertThat(statuses).containsExactlyInAnyOrder("FINISH", "FAILED", "RUNNING", "INIT");
    }

    @ParameterizedTest
    @CsvSource({"SCRIPT,true", "COMMAND,false", "script,true", "Command,false"})
    void taskTypeSeparatesScriptAndCommandTasks(String type, boolean script) {
        assertFilter(t -> script == !scripts(t).isEmpty(), "task_type", type);
        assertFilter(t -> script == (t.get("command_content") == null), "task_type", type);
    }

    @Test
    void timeWindowIsInclusiveOnStartTime() {
        String from = (String) all.get(400).get("start_time");
        String to = (String) all.get(100).get("start_time");
        Instant start = Instant.parse(from);
        Instant end = Instant.parse(to);
        Predicate<Map<String, Object>> inWindow = t -> {
            Instant time = Instant.parse((String) t.get("start_time"));
            return !time.isBefore(start) && !time.isAfter(end);
        };
        List<Map<String, Object>> expected = filter(inWindow);
        assertThat(expected).extracting(t -> t.get("start_time")).contains(from, to);
        assertFilter(inWindow, "execute_time_start", from, "execute_time_end", to);
        assertFilter(t -> !Instant.parse((String) t.get("start_time")).isBefore(start), "execute_time_start", from);
        assertFilter(t -> !Instant.parse((String) t.get("start_time")).isAfter(end), "execute_time_end", to);
    }

    @Test
    void timeBoundsAcceptFractionalSecondsAndNumericOffsets() {
        Instant start = Instant.parse((String) all.get(300).get("start_time"));
        Instant end = Instant.parse((String) all.get(50).get("start_time"));
        List<String> expected = ids(filter(t -> {
            Instant time = Instant.parse((String) t.get("start_time"));
            return time.isAfter(start) && !time.isAfter(end);
        }));
        String startPlusHalfSecond = start.plusMillis(500).toString();
        String endInShanghai = end.atOffset(java.time.ZoneOffset.ofHours(8)).toString();
        assertThat(ids(walk(100, "execute_time_start", startPlusHalfSecond, "execute_time_end", endInShanghai)))
                .isEqualTo(expected);
    }

    @Test
    void repeatedTaskIdSelectsListedTasksInApiOrder() {
        List<String> picked = List.of((String) all.get(700).get("id"), (String) all.get(3).get("id"),
                (String) all.get(42).get("id"));
        var response = get("task_id", picked.get(0), "task_id", picked.get(1), "task_id", picked.get(2),
                "task_id", "not-a-task");
        assertThat(ids(tasks(response))).isEqualTo(List.of(picked.get(1), picked.get(2), picked.get(0)));
        assertThat(total(response)).isEqualTo(3);
    }

    @Test
    void filtersCombineWithAnd() {
        Map<String, Object> sample = all.stream()
                .filter(t -> "FINISH".equals(t.get("status")) && !scripts(t).isEmpty()).findFirst().orElseThrow();
        String pool = (String) sample.get("desktop_pool_id");
        String until = (String) all.get(all.size() / 3).get("start_time");
        assertFilter(t -> pool.equals(t.get("desktop_pool_id")) && "FINISH".equals(t.get("status"))
                        && !scripts(t).isEmpty()
                        && !Instant.parse((String) t.get("start_time")).isAfter(Instant.parse(until)),
                "desktop_pool_id", pool, "status", "SUCCESS", "task_type", "SCRIPT", "execute_time_end", until);
    }

    @Test
    void unknownQueryParametersAreIgnored() {
        assertThat(ids(tasks(get("colour", "blue", "limit", 5, "Limit", 99)))).isEqualTo(ids(all.subList(0, 5)));
    }

    @Test
    void emptyFilterValuesAreTreatedAsAbsent() {
        var response = get("status", "", "desktop_pool_id", "", "task_type", "", "limit", "");
        assertThat(total(response)).isEqualTo(all.size());
        assertThat(tasks(response)).hasSize(10);
    }

    @Test
    void unknownPoolOrScriptMatchesNothing() {
        assertThat(total(get("desktop_pool_id", "no-such-pool"))).isZero();
        assertThat(total(get("script_id", "no-such-script"))).isZero();
    }

    private void assertFilter(Predicate<Map<String, Object>> rule, Object... filterPairs) {
        List<Map<String, Object>> expected = filter(rule);
        assertThat(ids(walk(100, filterPairs))).isEqualTo(ids(expected));
        Object[] firstPage = new Object[filterPairs.length + 2];
        System.arraycopy(filterPairs, 0, firstPage, 0, filterPairs.length);
        firstPage[filterPairs.length] = "limit";
        firstPage[filterPairs.length + 1] = 3;
        assertThat(total(get(firstPage))).isEqualTo(expected.size());
    }

    private List<Map<String, Object>> filter(Predicate<Map<String, Object>> rule) {
        return all.stream().filter(rule).toList();
    }

    private static List<String> ids(List<Map<String, Object>> tasks) {
        return tasks.stream().map(t -> (String) t.get("id")).toList();
    }
}
