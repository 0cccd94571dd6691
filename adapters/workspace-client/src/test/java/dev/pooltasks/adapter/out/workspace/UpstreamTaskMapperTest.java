package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.domain.query.UtcTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamTaskMapperTest {
    private final UpstreamTaskMapper mapper = new UpstreamTaskMapperImpl();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-11-26T09:14:02Z, 2026-11-26T09:14:02Z",
            "2026-11-26T09:14:02.250Z, 2026-11-26T09:14:02.250Z",
            "2026-11-26T17:14:02+08:00, 2026-11-26T09:14:02Z",
            "2026-11-26T09:14:02, 2026-11-26T09:14:02Z",
            "2026-11-26 09:14:02, 2026-11-26T09:14:02Z",
            "' 2026-11-26T09:14:02Z ', 2026-11-26T09:14:02Z",
            "2024-02-29T23:59:59Z, 2024-02-29T23:59:59Z",
    })
    void timesInAnyIsoFormAreNormalised(String wire, String expected) {
        assertThat(mapper.toInstant(wire)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-26T24:00:00Z",
            "2026-11-26T09:14:60Z", "2026-11-2xT09:14:02Z", "1764148442"})
    void unreadableTimesMakeTheAnswerMalformed(String wire) {
        assertThatThrownBy(() -> mapper.toInstant(wire)).isInstanceOf(MalformedUpstreamAnswerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-26T09:14:02Z", "1999-01-01T00:00:00Z", "2026-12-31T23:59:59Z"})
    void theFastPathAgreesWithTheGeneralParser(String wire) {
        assertThat(UtcTime.parse(wire)).isEqualTo(Instant.parse(wire));
    }

    @Test
    void theFastPathReadsEveryDayOfLeapAndCommonYearsAsTheGeneralParserDoes() {
        for (int year : new int[] {0, 1, 4, 100, 400, 1900, 1970, 1999, 2000, 2023, 2024, 2100, 9999}) {
            for (int month = 1; month <= 13; month++) {
                for (int day = 0; day <= 32; day++) {
                    String wire = String.format("%04d-%02d-%02dT23:59:59Z", year, month, day);
                    Instant general;
                    try {
                        general = Instant.parse(wire);
                    } catch (DateTimeParseException e) {
                        general = null;
                    }
                    assertThat(UtcTime.parse(wire)).as(wire).isEqualTo(general);
                }
            }
        }
    }
}
