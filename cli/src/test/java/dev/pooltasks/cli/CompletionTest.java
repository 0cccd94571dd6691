package dev.pooltasks.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pooltasks generate-completion}: the script it writes, sourced in a real bash, completes the commands, their
 * options and the values an option takes, as bash would when the user presses TAB.
 */
class CompletionTest {
    @TempDir
    static Path dir;
    static Path script;

    @BeforeAll
    static void generate() throws IOException {
        CliRunner.Result result = new CliRunner().run("generate-completion");
        assertThat(result.exitCode()).as(result.err()).isZero();
        script = Files.writeString(dir.resolve("pooltasks_completion"), result.out());
    }

    /** What bash offers for the words typed so far, the last one being completed. */
    static String complete(String... words) throws IOException, InterruptedException {
        StringBuilder typed = new StringBuilder();
        for (String word : words) {
            typed.append(" '").append(word).append('\'');
        }
        String program = "source '" + script + "'\n"
                + "COMP_WORDS=(pooltasks" + typed + ")\n"
                + "COMP_CWORD=" + words.length + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_pooltasks 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        return out.strip();
    }

    @Test
    void theCommandsComplete() throws Exception {
        assertThat(complete("st")).isEqualTo("statistics");
        assertThat(complete("t")).isEqualTo("tasks");
    }

    @Test
    void eachCommandsOptionsComplete() throws Exception {
        assertThat(complete("statistics", "--gr")).isEqualTo("--group-by");
        assertThat(complete("statistics", "--ti")).isEqualTo("--time-zone");
        assertThat(complete("tasks", "--al")).isEqualTo("--all");
        assertThat(complete("tasks", "--gr")).as("tasks has no grouping").isEmpty();
    }

    @Test
    void anOptionsValuesComplete() throws Exception {
        assertThat(complete("statistics", "--group-by", "").lines())
                .containsExactly("DAY", "POOL", "SCRIPT", "STATUS", "TASK_TYPE");
        assertThat(complete("tasks", "--output", "").lines()).containsExactly("TABLE", "JSON", "CSV");
    }
}
