package dev.pooltasks.adapter.in.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** How times go out on the wire ({@link TaskDtoMapper#toWire(Instant)}): whole seconds in UTC, as ISO-8601 writes them. */
class TaskDtoMapperTimeTest {
    final TaskDtoMapper mapper = new TaskDtoMapperImpl();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2026-11-27T02:59:18Z, 2026-11-27T02:59:18Z",
            "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z, 2024-02-29T23:59:59Z",
            "1000-01-01T00:00:00Z, 1000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z, 9999-12-31T23:59:59Z",
            "2026-11-27T02:59:18.999999999Z, 2026-11-27T02:59:18Z",
            "2026-11-27T02:59:18.5Z, 2026-11-27T02:59:18Z",
            "1969-12-31T23:59:59.999Z, 1969-12-31T23:59:59Z",
            "0999-12-31T23:59:59.9Z, 0999-12-31T23:59:59Z",
            "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
            "0000-06-15T12:00:00Z, 0000-06-15T12:00:00Z",
            "-0005-01-01T00:00:00Z, -0005-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z, +10000-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59.999Z, +999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z, -999999999-01-01T00:00:00Z",
    })
    void writesWholeSecondsInUtc(String time, String wire) {
        assertThat(mapper.toWire(Instant.parse(time))).isEqualTo(wire);
    }

    @Test
    void anAbsentTimeStaysAbsent() {
        assertThat(mapper.toWire((Instant) null)).isNull();
    }

    @Test
    void agreesWithTheJdksIsoFormatterForRandomInstants() {
        Random random = new Random(20261129);
        long from = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            // Mostly in this era, some anywhere from year 1 to 12000, with fractions of a second.
            long seconds = i % 4 == 0 ? from + Math.floorMod(random.nextLong(), to - from)
                    : 1_600_000_000L + random.nextInt(400_000_000);
            Instant time = Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000));

            assertThat(mapper.toWire(time)).as("%s", time)
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS)));
        }
    }
}
