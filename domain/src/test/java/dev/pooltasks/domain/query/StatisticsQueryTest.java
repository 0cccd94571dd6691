package dev.pooltasks.domain.query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatisticsQueryTest {
    private static final TaskQuery FILTERS = TaskQuery.builder("p").status("FAILED").offset(30).limit(5).build();

    @ParameterizedTest
    @CsvSource({"day,DAY", "POOL,POOL", " Script ,SCRIPT", "status,STATUS", "task_type,TASK_TYPE", "TASK_TYPE,TASK_TYPE"})
    void groupByIsReadCaseInsensitively(String wire, Grouping expected) {
        StatisticsQuery query = StatisticsQuery.of(FILTERS, wire, null);
        assertThat(query.grouping()).isEqualTo(expected);
        assertThat(query.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(query.filters().status()).isEqualTo(FILTERS.status());
        assertThat(query.filters().offset()).as("the window plays no part").isZero();
        assertThat(query.filters().limit()).isZero();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"week", "pools", "task-type", "day,pool", "dayy"})
    void aMissingOrUnknownGroupByIsRefusedNamingIt(String wire) {
        assertThatThrownBy(() -> StatisticsQuery.of(FILTERS, wire, "UTC"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("group_by");
                    assertThat(e.getMessage()).contains("day, pool, script, status, task_type");
                });
    }

    @ParameterizedTest
    @CsvSource({"Asia/Shanghai,Asia/Shanghai", "UTC,UTC", "Europe/Berlin,Europe/Berlin", "+08:00,+08:00"})
    void timeZonesAreZoneIds(String wire, String id) {
        assertThat(StatisticsQuery.of(FILTERS, "day", wire).timeZone()).isEqualTo(ZoneId.of(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "Asia/Shanghai/x", "+25:00", "UTC\u0000"})
    void anUnknownTimeZoneIsRefusedNamingIt(String wire) {
        assertThatThrownBy(() -> StatisticsQuery.of(FILTERS, "day", wire))
                .isInstanceOfSatisfying(InvalidParameterException.class,
                        e -> assertThat(e.parameter()).isEqualTo("time_zone"));
        assertThatThrownBy(() -> StatisticsQuery.of(FILTERS, "day", "A".repeat(65)))
                .isInstanceOfSatisfying(InvalidParameterException.class,
                        e -> assertThat(e.parameter()).isEqualTo("time_zone"));
    }
}
