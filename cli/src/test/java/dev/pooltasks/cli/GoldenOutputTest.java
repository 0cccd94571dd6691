package dev.pooltasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each output format against a file written down and read by a person (src/test/resources/.../golden), for a page
 * that holds the awkward cases: a task with several scripts and long names, a COMMAND task without end_time, CJK
 * names (two columns each), a command with a quote, a comma and a line break, a script name with an escape sequence.
 *
 * <p>The module's tests run with US-ASCII as the platform charset (see the pom), which is what Java 17 uses when no
 * locale is set: the CJK names must come out unchanged all the same.
 *
 * <p>When a golden file is missing or differs, the actual output is written to target/golden-actual/ for review.
 */
class GoldenOutputTest {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    static final String PAGE = resource("tasks-page.json");

    @RegisterExtension
    static final StubApi api = StubApi.start();

    @BeforeAll
    static void answer() {
        api.respond(request -> StubApi.Response.json(200, PAGE));
    }

    CliRunner.Result list(CliRunner runner, String output) {
        return runner.run("tasks", "--endpoint", api.url(), "--project", PROJECT, "--limit", "5", "--offset", "10",
                "--output", output);
    }

    @Test
    void thePlatformCharsetOfTheseTestsIsUsAscii() {
        assertThat(Charset.defaultCharset()).as("set by the surefire argLine").isEqualTo(StandardCharsets.US_ASCII);
    }

    @Test
    void table() {
        CliRunner.Result result = list(new CliRunner(), "table");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertGolden("table.txt", result.out());
        assertThat(result.out().lines()).allSatisfy(line -> assertThat(TextCells.width(line)).isLessThanOrEqualTo(79));
        assertThat(result.out()).doesNotContain("\u001b");
    }

    @Test
    void tableOnATerminalColoursTheStatus() {
        CliRunner.Result result = list(new CliRunner().terminals(true, false), "table");

        assertThat(result.exitCode()).isZero();
        assertGolden("table-colour.txt", result.out());
        String plain = result.out().replaceAll("\u001b\\[[0-9;]*m", "");
        assertThat(plain).isEqualTo(list(new CliRunner(), "table").out());
    }

    @Test
    void noColorAndDumbTerminalsGetNoColours() {
        assertThat(list(new CliRunner().terminals(true, true).env("NO_COLOR", "1"), "table").out())
                .doesNotContain("\u001b");
        assertThat(list(new CliRunner().terminals(true, true).env("TERM", "dumb"), "table").out())
                .doesNotContain("\u001b");
    }

    @Test
    void jsonLinesHoldTheApisTaskObjects() throws IOException {
        CliRunner.Result result = list(new CliRunner().terminals(true, true), "json");

        assertThat(result.exitCode()).isZero();
        assertGolden("tasks.jsonl", result.out());
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.out().split("\n")) {
            lines.add(json.readTree(line));
        }
        JsonNode tasks = json.readTree(PAGE).get("script_execution_tasks");
        assertThat(lines).hasSize(tasks.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode expected = tasks.get(i).deepCopy();
            if (!expected.has("scripts")) {
                // The contract's model reads an absent list as empty (COMMAND tasks have no scripts).
                ((ObjectNode) expected).putArray("scripts");
            }
            assertThat(lines.get(i)).isEqualTo(expected);
        }
    }

    @Test
    void csvQuotesAsRfc4180Says() throws IOException {
        CliRunner.Result result = list(new CliRunner(), "csv");

        assertThat(result.exitCode()).isZero();
        assertGolden("tasks.csv", result.out());
        assertThat(result.out()).startsWith(String.join(",", CsvOutput.COLUMNS) + "\r\n");
        // Read back with a CSV parser: the same fields as the API's.
        List<List<String>> rows = new ArrayList<>();
        new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerForListOf(String.class)
                .<List<String>>readValues(result.out()).forEachRemaining(rows::add);
        assertThat(rows).hasSize(6);
        JsonNode tasks = new ObjectMapper().readTree(PAGE).get("script_execution_tasks");
        assertThat(rows.get(4).get(CsvOutput.COLUMNS.indexOf("command_content")))
                .isEqualTo(tasks.get(3).get("command_content").asText());
        assertThat(rows.get(4).get(CsvOutput.COLUMNS.indexOf("desktop_pool_name"))).isEqualTo("ops, night shift");
        assertThat(rows.get(1).get(CsvOutput.COLUMNS.indexOf("script_names")))
                .isEqualTo("Rotate local admin password on every desktop|Collect system logs|Install Chrome (deb)");
        assertThat(rows.get(2).get(CsvOutput.COLUMNS.indexOf("end_time"))).isEmpty();
        assertThat(rows.get(3).get(CsvOutput.COLUMNS.indexOf("script_names"))).isEqualTo("备份 & 清理日志");
    }

    @Test
    void theRequestCarriesTheQuery() {
        list(new CliRunner(), "json");

        StubApi.Request request = api.lastRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawPath()).isEqualTo("/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail");
        assertThat(request.query()).containsOnlyKeys("offset", "limit");
        assertThat(request.param("offset")).isEqualTo("10");
        assertThat(request.param("limit")).isEqualTo("5");
    }

    @Test
    void emptyAnswersSaySo() {
        try (StubApi empty = StubApi.start()) {
            empty.respond(request -> StubApi.Response.json(200, "{\"total_count\":42,\"script_execution_tasks\":[]}"));
            CliRunner runner = new CliRunner();

            CliRunner.Result pastTheEnd = runner.run("tasks", "--endpoint", empty.url(), "--project", PROJECT,
                    "--offset", "50");
            CliRunner.Result countOnly = runner.run("tasks", "--endpoint", empty.url(), "--project", PROJECT,
                    "--limit", "0");
            CliRunner.Result csv = runner.run("tasks", "--endpoint", empty.url(), "--project", PROJECT, "-o", "csv");
            CliRunner.Result json = runner.run("tasks", "--endpoint", empty.url(), "--project", PROJECT, "-o", "json");

            assertThat(pastTheEnd.exitCode()).isZero();
            assertThat(pastTheEnd.out()).startsWith("START (UTC)").endsWith("\nno tasks at offset 50 of 42\n");
            assertThat(countOnly.out()).endsWith("\n42 matching tasks\n");
            assertThat(csv.out()).isEqualTo(String.join(",", CsvOutput.COLUMNS) + "\r\n");
            assertThat(json.out()).isEmpty();
            assertThat(List.of(countOnly.exitCode(), csv.exitCode(), json.exitCode())).containsOnly(0);
        }
    }

    static void assertGolden(String name, String actual) {
        String expected;
        try (InputStream in = GoldenOutputTest.class.getResourceAsStream("golden/" + name)) {
            expected = in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!actual.equals(expected)) {
            try {
                Path dir = Path.of("target", "golden-actual");
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(name), actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(expected).as("golden/%s (the actual output is in target/golden-actual/)", name).isNotNull();
        assertThat(actual).isEqualTo(expected);
    }

    static String resource(String name) {
        try (InputStream in = GoldenOutputTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
