package dev.pooltasks.domain.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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

    @Test
    void everyByteAtEveryPlaceIsReadAsTheGeneralParserReadsItOrRefused() {
        byte[] valid = "2021-10-01T12:34:56Z".getBytes(StandardCharsets.US_ASCII);
        for (int place = 0; place < valid.length; place++) {
            boolean digitPlace = Character.isDigit(valid[place]);
            for (int b = Byte.MIN_VALUE; b <= Byte.MAX_VALUE; b++) {
                byte[] text = valid.clone();
                text[place] = (byte) b;
                String spelled = new String(text, StandardCharsets.ISO_8859_1);
                // only a digit where a digit goes, or the separator itself (the general parser also takes 't', 'z'...)
                Instant general = digitPlace && b >= '0' && b <= '9' || b == valid[place] ? generalOrNull(spelled) : null;
                assertThat(UtcTime.parse(text, 0)).as("%s at %d", b, place).isEqualTo(general);
                assertThat(UtcTime.epochSecond(text, 0)).as("%s at %d", b, place)
                        .isEqualTo(general == null ? UtcTime.NOT_A_TIME : general.getEpochSecond());
            }
        }
    }

    /** After a valid date, the time of day alone is read and refused exactly as the whole time is. */
    @Test
    void theSecondOfDayAgreesWithTheWholeTimeAfterAValidDate() {
        Random random = new Random(35);
        byte[] odd = "09:TZ.+ /a\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L));
            byte[] text = DateTimeFormatter.ISO_INSTANT.format(instant).getBytes(StandardCharsets.US_ASCII);
            long dayStart = Math.floorDiv(instant.getEpochSecond(), 86_400) * 86_400;
            // any byte after the date, now and then another too
            for (int k = random.nextInt(3); k > 0; k--) {
                int place = 10 + random.nextInt(10);
                text[place] = random.nextBoolean() ? odd[random.nextInt(odd.length)] : (byte) random.nextInt(256);
            }
            long whole = UtcTime.epochSecond(text, 0);
            int second = UtcTime.secondOfDay(text, 0);
            String spelled = new String(text, StandardCharsets.ISO_8859_1);
            assertThat(second == -1 ? UtcTime.NOT_A_TIME : dayStart + second).as(spelled).isEqualTo(whole);
        }
        byte[] text = "2021-10-01T23:59:59Z".getBytes(StandardCharsets.US_ASCII);
        assertThat(UtcTime.secondOfDay(text, 0)).isEqualTo(86_399);
        for (String time : new String[] {"24:00:00Z", "23:60:00Z", "23:00:60Z", "23:00:00z", "23-00:00Z", "2a:00:00Z"}) {
            byte[] other = ("2021-10-01T" + time).getBytes(StandardCharsets.US_ASCII);
            assertThat(UtcTime.secondOfDay(other, 0)).as(time).isEqualTo(-1);
        }
    }

    @Test
    void readsInPlaceWithinLongerBytes() {
        byte[] text = "\"start_time\":\"2026-11-23T15:41:33Z\"".getBytes(StandardCharsets.US_ASCII);
        assertThat(UtcTime.epochSecond(text, 14)).isEqualTo(Instant.parse("2026-11-23T15:41:33Z").getEpochSecond());
        assertThat(UtcTime.epochSecond(text, 13)).isEqualTo(UtcTime.NOT_A_TIME);
        assertThat(UtcTime.epochSecond(text, 16)).as("runs past the end").isEqualTo(UtcTime.NOT_A_TIME);
    }

    private static Instant generalOrNull(String text) {
        try {
            return general(text);
        } catch (DateTimeParseException e) {
            return null;
        }
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
