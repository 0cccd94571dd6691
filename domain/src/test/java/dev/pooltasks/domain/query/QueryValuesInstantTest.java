package dev.pooltasks.domain.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The time filters' common form is read by position; it must agree with the general parser everywhere. */
class QueryValuesInstantTest {

    private static Instant general(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    @Test
    void theCommonFormIsReadAsTheGeneralParserReadsIt() {
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L));
            String text = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertThat(UtcTime.parse(text)).as(text).isEqualTo(general(text)).isEqualTo(instant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z", "2026-12-31T12:30:05Z"})
    void edgesOfTheCalendar(String text) {
        assertThat(UtcTime.parse(text)).isEqualTo(general(text));
        assertThat(QueryValues.optionalInstant("execute_time_start", text)).isEqualTo(general(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T00:00:00Z", "2021-13-01T00:00:00Z", "2021-04-31T00:00:00Z",
            "2021-10-01T24:00:00Z", "2021-10-01T12:60:00Z", "2021-10-01T12:00:60Z", "2021-1a-01T12:00:00Z",
            "2021-10-01 12:00:00Z", "2021-10-01T12:00:00+08:00", "2021-10-01T12:00:00.5Z", "+2021-10-01T12:00:0Z"})
    void anythingElseIsLeftToTheGeneralParser(String text) {
        assertThat(UtcTime.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T00:00:00Z", "2021-10-01T24:00:00Z", "2021-10-01T12:00:60Z"})
    void impossibleTimesAreStillRejected(String text) {
        assertThatThrownBy(() -> QueryValues.optionalInstant("execute_time_start", text))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void otherOffsetsStillParse() {
        assertThat(QueryValues.optionalInstant("execute_time_start", "2021-10-01T12:00:00+08:00"))
                .isEqualTo(Instant.parse("2021-10-01T04:00:00Z"));
    }
}
