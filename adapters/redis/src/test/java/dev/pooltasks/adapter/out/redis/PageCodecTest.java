package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.PageCache;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bytes replicas share: every field of a task survives, pages are small, damaged bytes never read as a page. */
class PageCodecTest {

    @Test
    void everyFieldOfEveryKindOfTaskSurvives() {
        ScriptExecutionTask scripts = new ScriptExecutionTask("ba2f5c85-0000-4000-8000-000000000001", "pool-1",
                "财务桌面池 finance", List.of(new Script("s-1", "Collect system logs"), new Script("s-2", "收集日志 ✓")),
                null, null, Instant.parse("2026-11-27T02:59:18Z"), Instant.parse("2026-11-27T03:04:18.123456789Z"),
                TaskStatus.FINISH, 238, 2, 1);
        ScriptExecutionTask command = new ScriptExecutionTask("not-a-uuid", "pool-2", null, List.of(),
                "Get-Service | Where-Object {$_.Status -eq 'Stopped'}\n", CommandType.POWERSHELL,
                Instant.parse("1969-12-31T23:59:59.5Z"), null, new TaskStatus("SOMETHING_NEW"), 0, -1,
                Integer.MAX_VALUE);
        ScriptExecutionTask bare = new ScriptExecutionTask("x", "", "", List.of(), "", new CommandType(""),
                Instant.EPOCH, Instant.MAX, TaskStatus.INIT, Integer.MIN_VALUE, 0, 0);
        TaskPage page = new TaskPage(Integer.MAX_VALUE, List.of(scripts, command, bare), Set.of("west", "east"),
                Set.of("north"));
        PageCache.Copy copy = new PageCache.Copy(page, 1_795_000_000_123L);

        PageCache.Copy read = PageCodec.decode(PageCodec.encode(copy));

        assertThat(read).isEqualTo(copy);
        assertThat(read.page().tasks().get(0).endTime().getNano()).isEqualTo(123456789);
        assertThat(read.page().missingSources()).containsExactly("east", "west");
    }

    @Test
    void theMirrorAgeOfAnAnswerFromAMirrorSurvives() {
        for (Duration age : new Duration[] {null, Duration.ZERO, Duration.ofSeconds(1), Duration.ofDays(400)}) {
            TaskPage page = new TaskPage(3, TestPages.page(3, 3).tasks(), Set.of("regional/west"), Set.of(), age);
            PageCache.Copy copy = new PageCache.Copy(page, 7);

            PageCache.Copy read = PageCodec.decode(PageCodec.encode(copy));

            assertThat(read).isEqualTo(copy);
            assertThat(read.page().mirrorAge()).isEqualTo(age);
        }
    }

    @Test
    void emptyPagesAndOnlyTheCountSurvive() {
        for (TaskPage page : List.of(new TaskPage(0, List.of()), new TaskPage(12345, List.of()))) {
            PageCache.Copy copy = new PageCache.Copy(page, -5);
            assertThat(PageCodec.decode(PageCodec.encode(copy))).isEqualTo(copy);
        }
    }

    @Test
    void generatedPagesOfEverySizeSurvive() {
        for (int size : new int[] {1, 2, 10, 37, 100}) {
            for (long seed = 0; seed < 20; seed++) {
                PageCache.Copy copy = new PageCache.Copy(TestPages.page(seed, size), seed);
                assertThat(PageCodec.decode(PageCodec.encode(copy))).as("size %d seed %d", size, seed).isEqualTo(copy);
            }
        }
    }

    @Test
    void aFullPageOfAHundredTasksTakesAFewKilobytes() {
        int largest = 0;
        for (long seed = 0; seed < 20; seed++) {
            largest = Math.max(largest, PageCodec.encode(new PageCache.Copy(TestPages.page(seed, 100), 0)).length);
        }
        // The same page is about 30 KB as JSON; each task's own UUID and times are most of what is left.
        assertThat(largest).isLessThan(8 * 1024);
    }

    @Test
    void bytesThatAreNotACopyOfThisVersionNeverReadAsOne() {
        byte[] good = PageCodec.encode(new PageCache.Copy(TestPages.page(7, 100), 42));
        byte[] otherVersion = good.clone();
        otherVersion[0] = (byte) (PageCodec.VERSION + 1);
        assertThatThrownBy(() -> PageCodec.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class);
        byte[] versionOne = good.clone();
        versionOne[0] = 1; // without the mirror age: a replica of the version before wrote it
        assertThatThrownBy(() -> PageCodec.decode(versionOne)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        Random random = new Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = i % 2 == 0 ? Arrays.copyOf(good, random.nextInt(good.length)) : good.clone();
            if (i % 2 == 1) {
                damaged[10 + random.nextInt(damaged.length - 10)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                PageCache.Copy read = PageCodec.decode(damaged);
                // A flipped bit inside a string or a number can still read as a (different) page; never as junk.
                assertThat(read.page().tasks()).hasSizeLessThanOrEqualTo(100);
            } catch (IllegalArgumentException expected) {
                // damaged copies read as no copy
            }
        }
    }
}
