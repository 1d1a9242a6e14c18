package dev.lapstream.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoakOptionsTest {

    private final DurationConverter durations = new DurationConverter();

    @Test
    void durationsInShortAndIsoForm() {
        assertEquals(Duration.ofSeconds(90), durations.convert("90s"));
        assertEquals(Duration.ofMinutes(30), durations.convert("30m"));
        assertEquals(Duration.ofHours(2), durations.convert("2H"));
        assertEquals(Duration.ofMinutes(90), durations.convert("PT1H30M"));
        assertEquals("90s", DurationConverter.format(Duration.ofSeconds(90)));
        assertEquals("30m", DurationConverter.format(Duration.ofMinutes(30)));
        assertEquals("2h", DurationConverter.format(Duration.ofHours(2)));
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> durations.convert("ten"));
        assertTrue(e.getMessage().contains("'ten' is not a duration"), e.getMessage());
        assertThrows(TypeConversionException.class, () -> durations.convert("10 minutes"));
    }

    @Test
    void aSoakNeedsTwoSamplesInItsLaterHalf() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options(Duration.ofMinutes(1),
                Duration.ofSeconds(30), 4));
        assertEquals("--soak 1m must be at least 4 times --soak-interval 30s", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> options(Duration.ZERO, Duration.ofSeconds(1), 4));
        assertThrows(IllegalArgumentException.class, () -> options(Duration.ofMinutes(1), Duration.ofSeconds(1), 0));
        assertEquals(4, options(Duration.ofMinutes(2), Duration.ofSeconds(30), 4).streams());
    }

    @Test
    void residentSetFromAStatusFile() {
        assertEquals(123456, ResidentMemory.kilobytes("Name:\tjava\nVmPeak:\t 999999 kB\nVmRSS:\t  123456 kB\n"));
        assertEquals(-1, ResidentMemory.kilobytes("Name:\tjava\n"));
        assertTrue(ResidentMemory.megabytes(ProcessHandle.current().pid()) > 0, "this JVM has a resident set");
    }

    private static SoakRunner.Options options(Duration duration, Duration interval, int streams) {
        return new SoakRunner.Options(duration, interval, streams, Path.of("clip.mp4"), 2, SoakRunner.Upscaler.bicubic,
                null, 0);
    }
}
