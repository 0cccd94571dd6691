package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real headless Chromium against the built jar: its rows are the API's for the same query, its
 * filters and pages live in the URL (back and forward too), its charts' numbers (the tables beside them) are the
 * statistics endpoint's, a chart's bar or a data row lists the tasks it counts (and a task's details those of its pool
 * and script), a wrong token shows the API's 401, the keyboard opens a task, a narrow window needs no sideways
 * scrolling; it logs no error and loads nothing from another origin. It also takes the README's screenshot
 * (target/console-1280x800.png).
 */
@PooltasksE2E
class ConsoleTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String API = "/v2/" + RunningPooltasks.PROJECT_ID + "/desktop-pools/script-execution-tasks/";
    private static final String TOKEN = "console-e2e-token-5f0c7b2a";
    private static final String OTHER_PROJECT_TOKEN = "console-e2e-other-3c9d1e44";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = JdkHttp.client();

    @RegisterExtension
    static final Chromium chromium = Chromium.start();

    @BeforeEach
    void freshTab() {
        driver().manage().window().setSize(new Dimension(1280, 1600));
        browserErrors(); // drains what an earlier test left
    }

    @AfterEach
    void nothingLeftTheOrigin() {
        // resource timing lists every script, style, image and fetch the page made
        List<String> loaded = resourcesLoaded();
        String origin = originOf(driver().getCurrentUrl());
        assertThat(loaded).allSatisfy(url -> assertThat(url).startsWith(origin + "/"));
    }

    @Test
    void theFirstPageShowsTheApisFirstPageAndTheChartsShowItsStatistics(RunningPooltasks app) throws Exception {
        open(app, "");

        JsonNode page = get(app, API + "detail?limit=" + defaultLimit());
        assertThat(rowIds()).isEqualTo(ids(page));
        assertThat(rowStatuses()).isEqualTo(field(page, "status"));
        assertThat(driver().findElement(By.id("range")).getAttribute("data-total"))
                .isEqualTo(page.path("total_count").asText());
        assertThat(text("#task-table tbody tr:first-child")).contains(page.path("script_execution_tasks").get(0)
                .path("desktop_pool_name").asText());
        assertChartsShowTheStatistics(app, "");
        assertThat(resourcesLoaded()).anySatisfy(url -> assertThat(url).contains("/webjars/echarts/"));
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    void filteringAndPagingChangeTheRowsAndTheUrlAndBackAndForwardWork(RunningPooltasks app) throws Exception {
        open(app, "");
        List<String> unfiltered = rowIds();

        new Select(driver().findElement(By.id("f-status"))).selectByValue("FAILED");
        long before = drawn();
        driver().findElement(By.cssSelector("#filters button[type=submit]")).click();
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).contains("status=FAILED");
        int limit = defaultLimit();
        JsonNode failed = get(app, API + "detail?status=FAILED&limit=" + limit);
        assertThat(failed.path("total_count").asInt()).as("enough failed tasks for two pages").isGreaterThan(limit);
        assertThat(rowIds()).isEqualTo(ids(failed)).isNotEqualTo(unfiltered);
        assertThat(rowStatuses()).containsOnly("FAILED");
        assertChartsShowTheStatistics(app, "status=FAILED");

        before = drawn();
        driver().findElement(By.id("next-page")).click();
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).contains("status=FAILED", "offset=" + limit);
        assertThat(rowIds()).isEqualTo(ids(get(app, API + "detail?status=FAILED&offset=" + limit + "&limit=" + limit)));

        before = drawn();
        driver().navigate().back();
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).contains("status=FAILED").doesNotContain("offset=");
        assertThat(rowIds()).isEqualTo(ids(failed));
        before = drawn();
        driver().navigate().back();
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).doesNotContain("status=");
        assertThat(rowIds()).isEqualTo(unfiltered);
        assertThat(new Select(driver().findElement(By.id("f-status"))).getFirstSelectedOption().getAttribute("value"))
                .isEmpty();
        before = drawn();
        driver().navigate().forward();
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).contains("status=FAILED");
        assertThat(rowIds()).isEqualTo(ids(failed));
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    void aChartsBarOrADataRowListsTheTasksBehindIt(RunningPooltasks app) throws Exception {
        open(app, "");
        int limit = defaultLimit();

        // A day's failed tasks: the red part of the day's bar with the most of them.
        Map<String, String> day = dataRows("data-days").stream()
                .max(Comparator.comparingLong(row -> failedOf(row.get("statusCounts")))).orElseThrow();
        long failedThatDay = failedOf(day.get("statusCounts"));
        // Over a bar that would list nothing (a group of commands) the pointer is not a hand.
        List<Map<String, String>> scripts = dataRows("data-scripts");
        pointAt("chart-scripts", "Failed tasks", scripts.stream().filter(row -> row.get("key").startsWith("command:"))
                .findFirst().orElseThrow().get("key"));
        assertThat(chartCursor("chart-scripts")).isEqualTo("default");
        pointAt("chart-scripts", "Failed tasks", scripts.stream().filter(row -> !row.get("key").startsWith("command:"))
                .findFirst().orElseThrow().get("key"));
        assertThat(chartCursor("chart-scripts")).isEqualTo("pointer");

        long before = drawn();
        pointAt("chart-days", "Failed", day.get("key"));
        new Actions(driver()).click().perform();
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).contains("status=FAILED", "execute_time_start=", "execute_time_end=");
        assertThat(total()).isEqualTo(failedThatDay);
        assertThat(rowStatuses()).containsOnly("FAILED");
        assertThat(driver().switchTo().activeElement().getAttribute("id")).as("focus moves to the tasks")
                .isEqualTo("tasks-heading");
        String dayQuery = URI.create(driver().getCurrentUrl()).getRawQuery().replace("project_id="
                + RunningPooltasks.PROJECT_ID + "&", "");
        assertThat(rowIds()).isEqualTo(ids(get(app, API + "detail?" + dayQuery + "&limit=" + limit)));
        JsonNode dayPage = get(app, API + "detail?" + dayQuery + "&limit=100");
        assertThat(field(dayPage, "start_time")).allSatisfy(start -> assertThat(localDay(start))
                .isEqualTo(day.get("key")));
        before = drawn();
        driver().navigate().back();
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).doesNotContain("status=");

        // A pool's data row, from the keyboard: all its tasks.
        driver().findElement(By.cssSelector("#data-pools")).findElement(By.xpath("ancestor::details"))
                .findElement(By.tagName("summary")).click();
        Map<String, String> pool = dataRows("data-pools").get(0);
        before = drawn();
        driver().findElement(By.cssSelector("#data-pools tbody tr:first-child th button")).sendKeys(Keys.ENTER);
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).contains("desktop_pool_id=" + pool.get("key"));
        assertThat(total()).isEqualTo(Long.parseLong(pool.get("tasks")));
        assertThat(rowIds()).isEqualTo(ids(get(app, API + "detail?desktop_pool_id=" + pool.get("key") + "&limit="
                + limit)));

        // Within that pool, the bar of the script that failed most there: its failed tasks in the pool.
        Map<String, String> script = dataRows("data-scripts").stream()
                .filter(row -> !row.get("key").startsWith("command:")).findFirst().orElseThrow();
        before = drawn();
        pointAt("chart-scripts", "Failed tasks", script.get("key"));
        new Actions(driver()).click().perform();
        awaitDrawn(before);
        assertThat(driver().getCurrentUrl()).contains("desktop_pool_id=" + pool.get("key"),
                "script_id=" + script.get("key"), "status=FAILED");
        assertThat(total()).isEqualTo(Long.parseLong(script.get("failed")));
        assertThat(rowIds()).isEqualTo(ids(get(app, API + "detail?desktop_pool_id=" + pool.get("key") + "&script_id="
                + script.get("key") + "&status=FAILED&limit=" + limit)));
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    void aSharedUrlOpensThatViewWithTheApisOwnParameterNames(RunningPooltasks app) throws Exception {
        String query = "script_name=chrome&task_type=SCRIPT&execute_time_start=2026-10-15T00:00:00Z&limit=10";
        open(app, "&" + query);

        assertThat(driver().findElement(By.id("f-script-name")).getAttribute("value")).isEqualTo("chrome");
        assertThat(new Select(driver().findElement(By.id("f-type"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("SCRIPT");
        assertThat(rowIds()).isEqualTo(ids(get(app, API + "detail?" + query)));
        assertChartsShowTheStatistics(app, query.replace("&limit=10", ""));
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    void theKeyboardOpensATasksDetails(RunningPooltasks app) throws Exception {
        open(app, "");
        String firstId = rowIds().get(0);
        WebElement details = driver().findElement(By.cssSelector("#task-table tbody tr:first-child button"));
        details.sendKeys(Keys.ENTER);

        WebElement dialog = new WebDriverWait(driver(), PATIENCE)
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("task-dialog")));
        assertThat(dialog.getText()).contains(firstId);
        new Actions(driver()).sendKeys(Keys.ESCAPE).perform();
        new WebDriverWait(driver(), PATIENCE).until(ExpectedConditions.invisibilityOf(dialog));
        for (String field : List.of("f-pool", "f-script-name", "f-script-id", "f-status", "f-type", "f-from", "f-to",
                "f-ids", "project", "page-size")) {
            assertThat(driver().findElements(By.cssSelector("label[for='" + field + "']")))
                    .as("a label for #%s", field).isNotEmpty();
        }
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    void aTasksDetailsListTheTasksOfItsPoolAndOfItsScript(RunningPooltasks app) throws Exception {
        open(app, "&status=FAILED");
        JsonNode first = get(app, API + "detail?status=FAILED&limit=1").path("script_execution_tasks").get(0);
        driver().findElement(By.cssSelector("#task-table tbody tr:first-child button")).sendKeys(Keys.ENTER);
        WebElement dialog = new WebDriverWait(driver(), PATIENCE)
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("task-dialog")));

        long before = drawn();
        dialog.findElement(By.cssSelector("button[aria-label='list tasks of this pool']")).sendKeys(Keys.ENTER);
        awaitDrawn(before);
        assertThat(dialog.isDisplayed()).isFalse();
        String pool = first.path("desktop_pool_id").asText();
        assertThat(driver().getCurrentUrl()).contains("status=FAILED", "desktop_pool_id=" + pool);
        JsonNode ofPool = get(app, API + "detail?status=FAILED&desktop_pool_id=" + pool + "&limit=" + defaultLimit());
        assertThat(rowIds()).isEqualTo(ids(ofPool));
        assertThat(total()).isEqualTo(ofPool.path("total_count").asLong());

        int row = 0;
        while (ofPool.path("script_execution_tasks").path(row).path("scripts").isEmpty()) {
            row++; // a command: no script to list
        }
        JsonNode task = ofPool.path("script_execution_tasks").get(row);
        JsonNode script = task.path("scripts").get(0);
        driver().findElement(By.cssSelector("#task-table tbody tr:nth-child(" + (row + 1) + ") button"))
                .sendKeys(Keys.ENTER);
        new WebDriverWait(driver(), PATIENCE).until(ExpectedConditions.visibilityOf(dialog));
        before = drawn();
        String ran = "list tasks that ran " + script.path("name").asText();
        dialog.findElement(By.cssSelector("button[aria-label='" + ran + "']")).click();
        awaitDrawn(before);
        String filters = "status=FAILED&desktop_pool_id=" + pool + "&script_id=" + script.path("id").asText();
        assertThat(driver().getCurrentUrl()).contains("script_id=" + script.path("id").asText());
        JsonNode ofScript = get(app, API + "detail?" + filters + "&limit=" + defaultLimit());
        assertThat(rowIds()).isEqualTo(ids(ofScript)).contains(task.path("id").asText());
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    void aNarrowWindowNeedsNoSidewaysScrollingAndTheScreenshotIsTaken(RunningPooltasks app) throws Exception {
        viewport(1280, 800);
        open(app, "");
        Path shot = Path.of(System.getProperty("pooltasks.e2e.basedir", "."), "target", "console-1280x800.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, driver().getScreenshotAs(OutputType.BYTES));
        assertThat(((JavascriptExecutor) driver()).executeScript("return window.innerWidth + 'x' + window.innerHeight"))
                .isEqualTo("1280x800");
        assertThat(Files.size(shot)).isPositive();
        assertThat(horizontalOverflow()).as("page wider than the window at 1280").isLessThanOrEqualTo(0);

        viewport(400, 900);
        open(app, "");
        assertThat(horizontalOverflow()).as("page wider than a narrow window").isLessThanOrEqualTo(0);
        assertThat(rowIds()).hasSize(defaultLimit());
        assertThat(browserErrors()).isEmpty();
    }

    @Test
    void withCallerAuthenticationItAsksForATokenAndShowsTheApis401(RunningPooltasks ignored) throws Exception {
        try (RunningPooltasks secured = RunningPooltasks.builder("console-auth")
                .token("ops", TOKEN, "*", null)
                .token("other", OTHER_PROJECT_TOKEN, "some-other-project", null)
                .start()) {
            // the statistics operation has the list's authentication
            String statistics = API + "statistics?group_by=day";
            assertThat(status(secured, statistics, null)).isEqualTo(401);
            assertThat(status(secured, statistics, "not-the-token")).isEqualTo(401);
            assertThat(status(secured, statistics, OTHER_PROJECT_TOKEN)).isEqualTo(403);
            assertThat(status(secured, statistics, TOKEN)).isEqualTo(200);

            driver().get(secured.baseUri() + "/");
            new WebDriverWait(driver(), PATIENCE)
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("project-hint")));
            assertThat(driver().getCurrentUrl()).as("no project named while authentication is on")
                    .isEqualTo(secured.baseUri() + "/console/");
            long before = drawn();
            driver().findElement(By.id("project")).sendKeys(RunningPooltasks.PROJECT_ID, Keys.ENTER);
            awaitDrawn(before);
            assertThat(driver().getCurrentUrl()).contains("project_id=" + RunningPooltasks.PROJECT_ID);
            assertThat(text("#error")).contains("401", "APIG.0301");
            WebElement tokenInput = driver().findElement(By.id("token"));
            assertThat(tokenInput.isDisplayed()).as("the page asks for a token").isTrue();

            before = drawn();
            tokenInput.sendKeys("a-wrong-token", Keys.ENTER);
            awaitDrawn(before);
            String error = text("#error");
            assertThat(error).contains("HTTP 401", "APIG.0301", "Incorrect IAM authentication information");
            String requestId = driver().findElement(By.cssSelector("#error .request-id")).getText();
            assertThat(requestId).matches("[A-Za-z0-9._-]{1,64}");
            assertThat(rowIds()).isEmpty();

            before = drawn();
            driver().findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
            awaitDrawn(before);
            assertThat(driver().findElement(By.id("error")).isDisplayed()).isFalse();
            assertThat(rowIds()).isEqualTo(ids(get(secured, API + "detail?limit=" + defaultLimit(), TOKEN)));
            JavascriptExecutor js = (JavascriptExecutor) driver();
            assertThat(js.executeScript("return sessionStorage.length")).isEqualTo(1L);
            assertThat(js.executeScript("return localStorage.length")).isEqualTo(0L);
            assertThat(js.executeScript("return document.cookie")).isEqualTo("");
            // the 401 answers are the only errors the page's console reports (and they are reported: the browser's
            // log reaches this test, so the other tests' empty logs mean something)
            assertThat(browserErrors()).isNotEmpty().allSatisfy(message -> assertThat(message).contains("401"));
            js.executeScript("sessionStorage.clear()");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** The charts' data tables against the statistics endpoint with the same filters and the page's time zone. */
    private void assertChartsShowTheStatistics(RunningPooltasks app, String filters) throws Exception {
        String zone = driver().findElement(By.id("data-days")).getAttribute("data-time-zone");
        assertThat(zone).isNotBlank();
        String common = (filters.isEmpty() ? "" : filters + "&") + "time_zone="
                + URLEncoder.encode(zone, StandardCharsets.UTF_8) + "&group_by=";

        JsonNode days = get(app, API + "statistics?" + common + "day");
        List<Map<String, String>> dayRows = dataRows("data-days");
        assertThat(dayRows).hasSize(days.path("groups").size());
        for (int i = 0; i < dayRows.size(); i++) {
            JsonNode group = days.path("groups").get(i);
            Map<String, String> row = dayRows.get(i);
            assertThat(row.get("key")).isEqualTo(group.path("key").asText());
            assertThat(row.get("tasks")).isEqualTo(group.path("task_count").asText());
            assertThat(JSON.readTree(row.get("statusCounts"))).as("statuses of %s", row.get("key"))
                    .isEqualTo(group.path("status_counts"));
        }
        assertThat(text("[data-total='tasks']").replace(",", "")).isEqualTo(days.path("total").path("task_count").asText());
        assertThat(text("[data-total='FAILED']").replace(",", ""))
                .isEqualTo(days.path("total").path("status_counts").path("FAILED").asText());

        JsonNode scripts = get(app, API + "statistics?" + common + "script");
        List<JsonNode> failing = new ArrayList<>();
        scripts.path("groups").forEach(group -> {
            if (group.path("status_counts").path("FAILED").asLong() > 0) {
                failing.add(group);
            }
        });
        failing.sort(Comparator.comparingLong((JsonNode g) -> -g.path("status_counts").path("FAILED").asLong())
                .thenComparingLong(g -> -g.path("task_count").asLong())
                .thenComparing(g -> g.path("key").asText()));
        assertRateRows("data-scripts", failing.subList(0, Math.min(10, failing.size())), false);

        JsonNode pools = get(app, API + "statistics?" + common + "pool");
        assertRateRows("data-pools", StreamSupport.stream(pools.path("groups").spliterator(), false).toList(), true);
    }

    private void assertRateRows(String table, List<JsonNode> groups, boolean anyOrder) {
        List<Map<String, String>> rows = dataRows(table);
        List<String> shown = rows.stream().map(row -> row.get("key") + " " + row.get("failed") + "/" + row.get("tasks"))
                .toList();
        List<String> expected = groups.stream().map(group -> group.path("key").asText() + " "
                + group.path("status_counts").path("FAILED").asText() + "/" + group.path("task_count").asText()).toList();
        if (anyOrder) {
            assertThat(shown).as(table).containsExactlyInAnyOrderElementsOf(expected);
        } else {
            assertThat(shown).as(table).containsExactlyElementsOf(expected);
        }
    }

    /** Each row's data attributes (data-key, data-tasks, ...), read whether or not the table is shown. */
    @SuppressWarnings("unchecked")
    private List<Map<String, String>> dataRows(String table) {
        Object rows = ((JavascriptExecutor) driver()).executeScript(
                "return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')].map(r => ({...r.dataset}))",
                table);
        List<Map<String, String>> result = new ArrayList<>();
        for (Object row : (List<Object>) rows) {
            result.add(new HashMap<>((Map<String, String>) row));
        }
        return result;
    }

    /**
     * Points the mouse at the middle of the bar (or of its part, in a stacked chart) of {@code series} for the
     * category whose data-row key is {@code key}; the chart's categories are the rows' keys or their names.
     */
    private void pointAt(String chartId, String series, String key) {
        WebElement chart = driver().findElement(By.id(chartId));
        @SuppressWarnings("unchecked")
        List<Number> offset = (List<Number>) ((JavascriptExecutor) driver()).executeScript("""
                const node = document.getElementById(arguments[0]);
                const chart = echarts.getInstanceByDom(node);
                const option = chart.getOption();
                const horizontal = option.yAxis[0].type === 'category';
                const categories = (horizontal ? option.yAxis[0] : option.xAxis[0]).data;
                const row = document.querySelector('#' + node.closest('figure').querySelector('table').id
                    + ' tbody tr[data-key="' + arguments[2] + '"]');
                const index = categories.includes(arguments[2]) ? categories.indexOf(arguments[2])
                    : categories.indexOf(row.cells[0].textContent);
                const at = option.series.findIndex((s) => s.name === arguments[1]);
                const valueOf = (item) => (typeof item === 'object' ? item.value : item);
                let below = 0;
                for (let i = 0; i < at; i++) {
                  below += option.series[i].stack ? valueOf(option.series[i].data[index]) : 0;
                }
                const value = below + valueOf(option.series[at].data[index]) / 2;
                const point = chart.convertToPixel({seriesIndex: at}, horizontal ? [value, index] : [index, value]);
                node.scrollIntoView({block: 'center'});
                const box = node.getBoundingClientRect();
                return [Math.round(point[0] - box.width / 2), Math.round(point[1] - box.height / 2)];
                """, chartId, series, key);
        new Actions(driver()).moveToElement(chart, offset.get(0).intValue(), offset.get(1).intValue()).perform();
    }

    /** The mouse cursor the chart shows where the mouse is. */
    private String chartCursor(String chartId) {
        return (String) ((JavascriptExecutor) driver()).executeScript("""
                const node = document.getElementById(arguments[0]);
                return [node, ...node.querySelectorAll('*')].map((e) => e.style.cursor).find(Boolean) || '';
                """, chartId);
    }

    private long total() {
        return Long.parseLong(driver().findElement(By.id("range")).getAttribute("data-total"));
    }

    private static long failedOf(String statusCounts) {
        try {
            return JSON.readTree(statusCounts).path("FAILED").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The day (yyyy-MM-dd) of an API time in the browser's time zone, which the days chart uses. */
    private String localDay(String wireTime) {
        String zone = driver().findElement(By.id("data-days")).getAttribute("data-time-zone");
        return Instant.parse(wireTime).atZone(ZoneId.of(zone)).toLocalDate().toString();
    }

    private void open(RunningPooltasks app, String moreQuery) {
        driver().get(app.baseUri() + "/console/?project_id=" + RunningPooltasks.PROJECT_ID + moreQuery);
        awaitDrawn(0);
    }

    /** How many views the page has drawn (it counts them in body's data-rendered). */
    private long drawn() {
        Object count = ((JavascriptExecutor) driver()).executeScript(
                "return document.body ? Number(document.body.dataset.rendered || 0) : 0");
        return ((Number) count).longValue();
    }

    /** Waits until the page has drawn a view after the {@code before}th, with the answers to its requests. */
    private void awaitDrawn(long before) {
        new WebDriverWait(driver(), PATIENCE).until(d -> drawn() > before && Boolean.TRUE.equals(
                ((JavascriptExecutor) d).executeScript("return document.getElementById('tasks-section')"
                        + ".getAttribute('aria-busy') === 'false' && typeof echarts !== 'undefined'")));
    }

    private int defaultLimit() {
        return Integer.parseInt(driver().findElement(By.id("task-table")).getAttribute("data-limit"));
    }

    private List<String> rowIds() {
        return driver().findElements(By.cssSelector("#task-table tbody tr")).stream()
                .map(row -> row.getAttribute("data-task-id")).toList();
    }

    private List<String> rowStatuses() {
        return driver().findElements(By.cssSelector("#task-table tbody tr")).stream()
                .map(row -> row.getAttribute("data-status")).toList();
    }

    private String text(String selector) {
        return driver().findElement(By.cssSelector(selector)).getText();
    }

    /** Sizes the window so that the page itself gets {@code width} x {@code height}. */
    private void viewport(int width, int height) {
        driver().manage().window().setSize(new Dimension(width, height));
        JavascriptExecutor js = (JavascriptExecutor) driver();
        long extraWidth = (Long) js.executeScript("return window.outerWidth - window.innerWidth");
        long extraHeight = (Long) js.executeScript("return window.outerHeight - window.innerHeight");
        driver().manage().window().setSize(new Dimension(width + (int) extraWidth, height + (int) extraHeight));
    }

    private long horizontalOverflow() {
        return (Long) ((JavascriptExecutor) driver()).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth");
    }

    @SuppressWarnings("unchecked")
    private List<String> resourcesLoaded() {
        return (List<String>) ((JavascriptExecutor) driver()).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)");
    }

    /** The page's console errors and failed loads since the last call. */
    private List<String> browserErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver().manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
                errors.add(entry.getLevel() + " " + entry.getMessage());
            }
        }
        return errors;
    }

    private static ChromeDriver driver() {
        return chromium.driver();
    }

    private static String originOf(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static List<String> ids(JsonNode page) {
        return field(page, "id");
    }

    private static List<String> field(JsonNode page, String name) {
        return StreamSupport.stream(page.path("script_execution_tasks").spliterator(), false)
                .map(task -> task.path(name).asText()).toList();
    }

    private static JsonNode get(RunningPooltasks app, String pathAndQuery) throws Exception {
        return get(app, pathAndQuery, null);
    }

    private static JsonNode get(RunningPooltasks app, String pathAndQuery, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(request(app, pathAndQuery, token), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", pathAndQuery, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int status(RunningPooltasks app, String pathAndQuery, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(request(app, pathAndQuery, token), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            JsonNode error = JSON.readTree(response.body());
            assertThat(error.path("error_code").asText()).startsWith("APIG.");
            assertThat(error.path("error_msg").asText()).isNotBlank();
            assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        }
        return response.statusCode();
    }

    private static HttpRequest request(RunningPooltasks app, String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUri() + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return request.build();
    }
}
