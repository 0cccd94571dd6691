package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskStatistics.Counts;
import dev.pooltasks.domain.model.TaskStatistics.Group;
import dev.pooltasks.domain.port.out.StatisticsCache;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statistics bytes replicas share: every count and name survives, damaged bytes never read as statistics. */
class StatisticsCodecTest {

    static Counts counts(long seed) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        byStatus.put("FINISH", seed * 7 + 1);
        byStatus.put("FAILED", seed % 3);
        byStatus.put("RUNNING", 0L);
        byStatus.put("SOMETHING_NEW", 2L);
        long tasks = seed * 7 + 1 + seed % 3 + 2;
        return new Counts(tasks, byStatus, seed * 100, -seed, Long.MAX_VALUE - seed,
                Instant.ofEpochSecond(1_795_000_000L + seed, 123_456_789), Instant.parse("2026-12-03T10:00:00Z"));
    }

    /** Statistics of {@code groups} groups, some without a name, some names in Chinese. */
    static TaskStatistics statistics(long seed, int groups) {
        List<Group> list = IntStream.range(0, groups)
                .mapToObj(i -> new Group("2026-11-" + (10 + i % 20) + "-" + i,
                        i % 3 == 0 ? null : "收集日志 " + seed + "-" + i, counts(seed + i)))
                .toList();
        return new TaskStatistics(counts(seed), list, Set.of("west", "regional/north"), Set.of("east"));
    }

    @Test
    void everyCountNameAndSourceSurvives() {
        for (int groups : new int[] {0, 1, 5, 400}) {
            StatisticsCache.Copy copy = new StatisticsCache.Copy(statistics(groups, groups), 1_795_000_000_123L);

            StatisticsCache.Copy read = StatisticsCodec.decode(StatisticsCodec.encode(copy));

            assertThat(read).as("%d groups", groups).isEqualTo(copy);
            assertThat(read.statistics().total().byStatus().keySet())
                    .containsExactly("FINISH", "FAILED", "RUNNING", "INIT", "SOMETHING_NEW");
        }
    }

    @Test
    void noTasksAtAllSurvives() {
        StatisticsCache.Copy copy = new StatisticsCache.Copy(new TaskStatistics(Counts.NONE, List.of()), -5);
        assertThat(StatisticsCodec.decode(StatisticsCodec.encode(copy))).isEqualTo(copy);
    }

    @Test
    void aYearOfDaysTakesAFewKilobytes() {
        byte[] bytes = StatisticsCodec.encode(new StatisticsCache.Copy(statistics(1, 366), 0));
        // Status names are written once, numbers in a few bytes, and the deflated body shares what groups repeat.
        assertThat(bytes.length).isLessThan(366 * 40);
    }

    @Test
    void bytesThatAreNotAStatisticsCopyOfThisVersionNeverReadAsOne() {
        byte[] good = StatisticsCodec.encode(new StatisticsCache.Copy(statistics(3, 40), 42));
        byte[] otherVersion = good.clone();
        otherVersion[0] = (byte) (StatisticsCodec.VERSION + 1);
        assertThatThrownBy(() -> StatisticsCodec.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatisticsCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        Random random = new Random(1);
        int read = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = i % 2 == 0 ? Arrays.copyOf(good, random.nextInt(good.length)) : good.clone();
            if (i % 2 == 1) {
                damaged[10 + random.nextInt(damaged.length - 10)] ^= (byte) (1 + random.nextInt(255));
            }
            try {
                StatisticsCache.Copy copy = StatisticsCodec.decode(damaged);
                // A flipped bit inside a name or a count can still read as (different) statistics; never as junk.
                assertThat(copy.statistics().groups()).hasSizeLessThanOrEqualTo(40);
                read++;
            } catch (IllegalArgumentException expected) {
                // damaged copies read as no copy
            }
        }
        assertThat(read).as("most damage is caught").isLessThan(1000);
    }
}
