package dev.pooltasks.e2e;

import dev.pooltasks.examples.DomainAsLibrary;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's domain example (examples/): the domain module used alone, with nothing but the JDK beside it. */
class DomainExampleTest {

    @Test
    void theExampleValidatesFederatesAndAggregates() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int exitCode = DomainAsLibrary.run(new PrintStream(output, true, StandardCharsets.UTF_8));

        List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(exitCode).isZero();
        assertThat(lines).contains(
                "   accepted: status FAILED, type SCRIPT, from 2026-11-19T16:00:00Z, offset 0, limit 5",
                "   refused: parameter status: status must be one of SUCCESS, FAILED, RUNNING, WAITING",
                "2. Failed script tasks since 2026-11-19T16:00:00Z in the federation all-regions: 2");
        // The merge: newest first across both members; the west task older than the bound is filtered out.
        assertThat(lines).filteredOn(line -> line.startsWith("   2026-")).extracting(line -> line.trim().split("\\s+")[1])
                .containsExactly("w1", "e3");
        assertThat(lines).filteredOn(line -> line.contains(" -> ")).extracting(line -> line.replaceAll(".*-> ", ""))
                .containsExactly("FINISH  success 2, failed 0, skipped 1", "FINISH  success 1, failed 2, skipped 0",
                        "FAILED  success 0, failed 1, skipped 2", "RUNNING success 1, failed 0, skipped 0",
                        "INIT    success 0, failed 0, skipped 0");
    }

    @Test
    void theExampleRunsWithOnlyTheDomainJarOnTheClasspath() throws Exception {
        Path examples = Examples.directory();
        Path domainJar = Examples.library("pooltasks-domain-");
        ByteArrayOutputStream inProcess = new ByteArrayOutputStream();
        DomainAsLibrary.run(new PrintStream(inProcess, true, StandardCharsets.UTF_8));

        Examples.Run run = Examples.run(List.of("-cp", examples.resolve("target/classes") + File.pathSeparator + domainJar, DomainAsLibrary.class.getName()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).isEqualTo(inProcess.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeCommandRunsItFromTheExamplesJar() throws Exception {
        Examples.Run run = Examples.run(List.of("-cp", Examples.jar().toString(), DomainAsLibrary.class.getName()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("in the federation all-regions: 2");
    }
}
