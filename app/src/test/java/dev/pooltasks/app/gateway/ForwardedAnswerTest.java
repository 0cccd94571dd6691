package dev.pooltasks.app.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.pooltasks.adapter.in.rest.PageEncoder;
import dev.pooltasks.adapter.in.rest.TaskDtoMapper;
import dev.pooltasks.adapter.out.workspace.AnswerParser;
import dev.pooltasks.adapter.out.workspace.MalformedUpstreamAnswerException;
import dev.pooltasks.adapter.out.workspace.UpstreamTaskMapperImpl;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.EncodedTasks;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.service.FederatedTaskSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An upstream's answer is forwarded as is only when it is byte for byte what this service would answer for the page
 * (the application's own ObjectMapper and TaskDtoMapper, as the REST resource encodes); any other answer is read as
 * before and written again. Over many generated pages and deviations from their encoding: the final answer is the one
 * the general path (Jackson binding the DTOs, then the mapper) gives, byte for byte, and so are its failures.
 */
@QuarkusTest
class ForwardedAnswerTest {
    private static final Instant YEAR_0 = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z");
    /** Characters whose spelling on the wire varies: escapes, control characters, multi-byte UTF-8, a surrogate pair. */
    private static final String PLAIN = "0123456789abcdef-ABCXYZ ~!#$%&'()*+.;<=>?@^_`|";
    private static final String TRICKY = "aZ09 \"\\/\b\t\f\n\r\u0000\u0001\u001f\u007f\u0080éß中\u2028\uFEFF😀{}[]:,";

    @Inject
    ObjectMapper json;

    @Inject
    TaskDtoMapper dtos;

    private AnswerParser parser;
    private ObjectWriter writer;
    private ObjectReader generalReader;

    @BeforeEach
    void setUp() {
        parser = new AnswerParser(json);
        writer = json.writerFor(ShowDesktopPoolsScriptExecTasksResponse.class);
        generalReader = json.readerFor(ShowDesktopPoolsScriptExecTasksResponse.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @Test
    void everyPageWeWriteIsForwardedAsIsAndReadsBackTheSame() {
        Random random = new Random(15);
        for (int i = 0; i < 3000; i++) {
            TaskPage page = page(random, true);
            byte[] encoded = encode(page);

            TaskPage read = parser.parse(encoded);

            assertThat(read.knownBody()).as("forwarded: %s", text(encoded)).isSameAs(encoded);
            assertThat(read).isEqualTo(page).isEqualTo(general(encoded));
        }
    }

    @Test
    void theResourceEncoderWritesWhatJacksonWritesForTheDtos() {
        Random random = new Random(2515);
        for (int i = 0; i < 5000; i++) {
            TaskPage page = page(random, random.nextBoolean());
            byte[] jackson = encode(page);

            assertThat(PageEncoder.encode(page)).as(text(jackson)).isEqualTo(jackson);
        }
        String lone = "lone \uD83D and \uDE00 halves";
        TaskPage odd = new TaskPage(1, List.of(task("\uD83D", "2026-11-26T09:14:02Z", List.of(new Script(lone, lone)))));
        assertThat(PageEncoder.encode(odd)).isEqualTo(encode(odd));
    }

    /**
     * The check reads a string eight bytes at a time: a character the encoder escapes or writes as several bytes is
     * found at every place of a word, in the first word, the second, and the body's last bytes, whether it is written
     * as the encoder writes it (forwarded) or raw (read the general way).
     */
    @Test
    void aSpecialCharacterIsFoundAtEveryPlaceOfAString() {
        for (int length = 0; length <= 20; length++) {
            for (int place = 0; place <= length; place++) {
                for (int c : TRICKY.codePoints().toArray()) {
                    String name = insert("x".repeat(length), place, Character.toString(c));
                    byte[] ours = encode(new TaskPage(1, List.of(task(name, "2026-11-26T09:14:02Z", List.of()))));
                    assertThat(parser.parse(ours).knownBody()).as(text(ours)).isSameAs(ours);

                    // the same id written raw, as an upstream might
                    String afterId = text(ours).substring(text(ours).indexOf("\",\"desktop_pool_id\""));
                    byte[] unescaped = ("{\"total_count\":1,\"script_execution_tasks\":[{\"id\":\"" + name + afterId)
                            .getBytes(StandardCharsets.UTF_8);
                    assertReadAsTheGeneralPathReads(unescaped);
                }
            }
        }
    }

    @Test
    void anAnswerWrittenOtherwiseIsReadAsBeforeAndWrittenAgain() {
        String ours = text(encode(new TaskPage(3, List.of(task("t1", "2026-11-26T09:14:02Z", List.of()),
                task("t2", "2026-11-26T09:14:01Z", List.of(new Script("s1", "a/b 😀")))))));
        List<String> others = List.of(
                ours.replace(",", ", "),
                ours + "\n",
                ours.replace("{\"id\":\"t1\",", "{\"id\":\"t1\",\"extra\":1,"),
                ours.replace("\"scripts\":[],", ""),
                ours.replace(",\"desktop_pool_name\":\"pool one\"", ",\"desktop_pool_name\":null"),
                ours.replace("09:14:02Z", "09:14:02.000Z"),
                ours.replace("09:14:02Z", "11:14:02+02:00"),
                ours.replace("\"success_num\":1", "\"success_num\":1.0"),
                ours.replace("pool one", "pool\\u0020one"),
                ours.replace("\\uD83D\\uDE00", "😀"),
                ours.replace("\\uD83D\\uDE00", "\\ud83d\\ude00"),
                ours.replace("\"id\":\"t1\",\"desktop_pool_id\":\"pool\"", "\"desktop_pool_id\":\"pool\",\"id\":\"t1\""),
                creatorPropertiesFirst(ours));
        for (String other : others) {
            assertThat(other).isNotEqualTo(ours);

            TaskPage read = parser.parse(other.getBytes(StandardCharsets.UTF_8));

            assertThat(read.knownBody()).as(other).isNull();
            assertThat(read).isEqualTo(general(other.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void everyDeviationIsForwardedIdenticallyOrReadAndRejectedAsBefore() {
        Random random = new Random(1515);
        List<UnaryOperator<String>> deviations = deviations(random);
        int forwarded = 0;
        for (int i = 0; i < 20_000; i++) {
            String ours = text(encode(page(random, random.nextInt(4) > 0)));
            byte[] other = deviations.get(random.nextInt(deviations.size())).apply(ours)
                    .getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(8) == 0 && other.length > 0) {
                other[random.nextInt(other.length)] = (byte) random.nextInt(256);
            }
            TaskPage read = assertReadAsTheGeneralPathReads(other);
            if (read != null && read.knownBody() == other) {
                forwarded++;
            }
        }
        assertThat(forwarded).as("some deviations are harmless").isPositive();
    }

    /**
     * An answer is read as the general path reads it, and answered with the bytes it would write; or rejected as the
     * general path rejects it (then null).
     */
    private TaskPage assertReadAsTheGeneralPathReads(byte[] answer) {
        TaskPage expected;
        try {
            expected = general(answer);
        } catch (Rejected e) {
            assertThatThrownBy(() -> parser.parse(answer)).as(text(answer))
                    .isInstanceOf(MalformedUpstreamAnswerException.class);
            return null;
        }
        TaskPage read = parser.parse(answer);
        assertThat(read).as(text(answer)).isEqualTo(expected);
        assertThat(read.body(this::encode)).as(text(answer)).isEqualTo(encode(expected));
        return read;
    }

    /**
     * A federation over members answering canonically keeps their tasks encoded and copies their bytes into its
     * answer; a member answering otherwise (or read whole, its order not trusted) has its tasks made and written again.
     * Either way the answer is byte for byte what Jackson writes for the merge of the generally read members.
     */
    @Test
    void aFederationAnswersWithItsMembersTaskBytesExactlyWhatItWouldWrite() {
        Random random = new Random(1535);
        int spliced = 0;
        int written = 0;
        for (int i = 0; i < 1500; i++) {
            List<List<ScriptExecutionTask>> members = new ArrayList<>();
            List<Boolean> canonical = new ArrayList<>();
            List<Boolean> trusted = new ArrayList<>();
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                List<ScriptExecutionTask> tasks = new ArrayList<>();
                for (int k = random.nextInt(8); k > 0; k--) {
                    ScriptExecutionTask task = task(random, true);
                    // Same start times across members now and then, so that ids decide.
                    tasks.add(random.nextInt(3) > 0 ? task : withStart(task, Instant.parse("2026-11-26T09:14:02Z")));
                }
                tasks.sort(TaskOrder.NEWEST_FIRST);
                members.add(tasks);
                canonical.add(random.nextInt(5) > 0);
                trusted.add(random.nextInt(6) > 0);
            }
            TaskQuery query = TaskQuery.builder("all").offset(random.nextInt(6)).limit(random.nextInt(9)).build();

            TaskPage merged = federate(members, canonical, trusted, parser::parse, query);
            TaskPage general = federate(members, canonical, trusted, this::general, query);

            assertThat(merged).isEqualTo(general);
            assertThat(PageEncoder.encode(merged)).as(text(encode(general))).isEqualTo(encode(general));
            if (merged.tasks() instanceof EncodedTasks) {
                spliced++;
            } else {
                written++;
            }
        }
        assertThat(spliced).as("answers spliced").isGreaterThan(100);
        assertThat(written).as("answers written again").isGreaterThan(100);
    }

    /** The merge of members answering each block with their encoded window, read by {@code reader}. */
    private TaskPage federate(List<List<ScriptExecutionTask>> members, List<Boolean> canonical, List<Boolean> trusted,
                              Function<byte[], TaskPage> reader, TaskQuery query) {
        List<FederatedTaskSource.Member> federated = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            List<ScriptExecutionTask> tasks = members.get(m);
            boolean asWeWrite = canonical.get(m);
            LoadScriptExecutionTasksPort source = (block, caller) -> {
                int from = Math.min(block.offset(), tasks.size());
                int to = Math.min(from + block.limit(), tasks.size());
                String body = text(encode(new TaskPage(tasks.size(), tasks.subList(from, to))));
                return CompletableFuture.completedFuture(reader.apply(
                        (asWeWrite ? body : body.replace(",", ", ")).getBytes(StandardCharsets.UTF_8)));
            };
            federated.add(new FederatedTaskSource.Member("r" + m, "p" + m, source, trusted.get(m)));
        }
        return new FederatedTaskSource("all", federated, false, FederatedTaskSource.Reading.UP_TO_PAGE_END)
                .loadTasks(query, Caller.ANONYMOUS).toCompletableFuture().join();
    }

    private static ScriptExecutionTask withStart(ScriptExecutionTask t, Instant start) {
        return new ScriptExecutionTask(t.id(), t.desktopPoolId(), t.desktopPoolName(), t.scripts(), t.commandContent(),
                t.commandType(), start, t.endTime(), t.status(), t.successNum(), t.failedNum(), t.skipNum());
    }

    private List<UnaryOperator<String>> deviations(Random random) {
        return List.of(
                s -> s,
                s -> insert(s, random.nextInt(s.length() + 1), List.of(" ", "\n", "\t", "\r\n").get(random.nextInt(4))),
                s -> s.substring(0, random.nextInt(s.length())),
                s -> s.replaceFirst("\\\\\"", "\\\\u0022"),
                s -> s.replaceFirst("\\\\n", "\\\\u000A"),
                s -> s.replaceFirst("\\\\u001F", "\\\\u001f"),
                s -> s.replaceFirst("/", "\\\\/"),
                s -> s.replaceFirst("é", "\\\\u00e9"),
                s -> s.replaceFirst("\\\\uD83D\\\\uDE00", "😀"),
                s -> s.replaceFirst("\\\\uD83D", "\\\\uDE00"),
                s -> s.replaceFirst("\\\\uDE00", ""),
                s -> s.replaceFirst("Z\"", ".5Z\""),
                s -> s.replaceFirst("Z\"", "+00:00\""),
                s -> s.replaceFirst("T(\\d\\d:)", " $1"),
                s -> s.replaceFirst(":(\\d+)([,}])", ":0$1$2"),
                s -> s.replaceFirst(":(\\d+)([,}])", ":$1.0$2"),
                s -> s.replaceFirst(":(\\d+)([,}])", ":$1e0$2"),
                s -> s.replaceFirst(":(\\d+)([,}])", ":\"$1\"$2"),
                s -> s.replaceFirst("\"total_count\":\\d+", "\"total_count\":-1"),
                s -> s.replaceFirst("\"total_count\":\\d+", "\"total_count\":2147483648"),
                s -> s.replaceFirst("\"failed_num\":-?\\d+", "\"failed_num\":-0"),
                s -> s.replaceFirst("\"scripts\":\\[", "\"scripts\":null,\"x\":["),
                s -> s.replaceFirst("\"scripts\":\\[\\],", ""),
                s -> s.replaceFirst(",\"command_type\":\"[^\"]*\"", ",\"command_type\":null"),
                s -> s.replaceFirst("\\{\"id\":", "{\"unknown\":[1,{}],\"id\":"),
                s -> s.replaceFirst("\\{\"id\":\"[^\"]*\",", "{"),
                s -> s.replaceFirst("\"status\":\"[^\"]*\"", "\"status\":\"\""),
                s -> s.replaceFirst("\"end_time\":\"[^\"]*\"", "\"end_time\":\"\""),
                s -> s.replaceFirst("\"start_time\":\"[^\"]*\"", "\"start_time\":\"2026-02-30T00:00:00Z\""),
                s -> s.replaceFirst("\\}\\]\\}$", "},{}]}"),
                s -> s.replace("\"success_num\"", "\"success_num\":1,\"success_num\""),
                s -> s + "{}",
                s -> "\uFEFF" + s,
                this::creatorPropertiesFirst);
    }

    /** The same answer in Jackson's default order (the constructor's required properties first), as before. */
    private String creatorPropertiesFirst(String answer) {
        try {
            ObjectMapper defaultOrder = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
            return defaultOrder.writeValueAsString(generalReader.readValue(answer));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Today's general path: bind the contract's DTOs, check and map them. */
    private TaskPage general(byte[] body) {
        try {
            return new UpstreamTaskMapperImpl().toPage(generalReader.readValue(body));
        } catch (IOException | RuntimeException e) {
            throw new Rejected();
        }
    }

    /** The general path rejected an answer. */
    private static final class Rejected extends RuntimeException {
    }

    /** As the REST resource encodes a page. */
    private byte[] encode(TaskPage page) {
        try {
            return writer.writeValueAsBytes(dtos.toResponse(page));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static TaskPage page(Random random, boolean canonical) {
        int size = random.nextInt(5);
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            tasks.add(task(random, canonical));
        }
        int total = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> Integer.MAX_VALUE;
            default -> size + random.nextInt(1000);
        };
        return new TaskPage(total, tasks);
    }

    private static ScriptExecutionTask task(Random random, boolean canonical) {
        List<Script> scripts = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            scripts.add(new Script(text(random), text(random)));
        }
        boolean command = random.nextBoolean();
        return new ScriptExecutionTask(text(random), text(random), random.nextBoolean() ? null : text(random),
                scripts, command ? text(random) : null, command && random.nextBoolean() ? new CommandType(text(random)) : null,
                time(random, canonical), random.nextBoolean() ? null : time(random, canonical),
                new TaskStatus(text(random)), number(random), number(random), number(random));
    }

    /** Short or long (read eight bytes at a time), mostly plain, with tricky characters anywhere. */
    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(3) == 0 ? random.nextInt(48) : random.nextInt(6); i > 0; i--) {
            if (random.nextInt(10) < 7) {
                text.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
                continue;
            }
            int at = random.nextInt(TRICKY.length());
            text.appendCodePoint(TRICKY.codePointAt(Character.isLowSurrogate(TRICKY.charAt(at)) ? at - 1 : at));
        }
        return text.toString();
    }

    /** Canonical: whole seconds in the years 0 to 9999; otherwise also fractions (dropped) and years from 10000. */
    private static Instant time(Random random, boolean canonical) {
        long seconds = switch (random.nextInt(10)) {
            case 0 -> YEAR_0.getEpochSecond() + random.nextInt(100_000);
            case 1 -> YEAR_10000.getEpochSecond() + (canonical ? -1 - random.nextInt(100_000) : random.nextInt(100_000));
            default -> 1_700_000_000L + random.nextInt(100_000_000);
        };
        return Instant.ofEpochSecond(seconds, canonical ? 0 : random.nextInt(1_000_000_000));
    }

    private static int number(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Integer.MIN_VALUE;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> -random.nextInt(10);
            default -> random.nextInt(1000);
        };
    }

    private static ScriptExecutionTask task(String id, String start, List<Script> scripts) {
        return new ScriptExecutionTask(id, "pool", "pool one", scripts, null, null,
                Instant.parse(start), null, TaskStatus.RUNNING, 1, 0, 0);
    }

    private static String insert(String s, int at, String inserted) {
        return s.substring(0, at) + inserted + s.substring(at);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
