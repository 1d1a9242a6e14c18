package dev.lapstream.cli.soak;

import dev.lapstream.cli.Lapstream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lapstream bench --soak}, end to end at a small size: a real worker process, bicubic, 20 s. */
class BenchSoakCommandTest {

    private static final String CLIP = "../samples/vtest-192x144.mp4";
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+)s \\| (\\d+) \\| [\\d.]+ \\| (\\d+) \\| (\\d+) \\| (\\d+) \\|$",
            Pattern.MULTILINE);

    @Test
    void samplesTheWorkersMemoryAndPrintsTheSlope() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = Lapstream.commandLine().execute("bench", "--soak", "20s", "--soak-interval", "4s",
                    "--soak-upscaler", "bicubic", "--input", CLIP);
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        stdout.print(out);
        assertEquals(0, exit, out);
        Matcher rows = ROW.matcher(out);
        List<long[]> samples = rows.results().map(r -> new long[]{Long.parseLong(r.group(1)),
                Long.parseLong(r.group(2)), Long.parseLong(r.group(3)), Long.parseLong(r.group(4))}).toList();
        assertEquals(List.of(0L, 4L, 8L, 12L, 16L, 20L), samples.stream().map(s -> s[0]).toList(), out);
        long[] last = samples.get(samples.size() - 1);
        assertTrue(last[1] > 0, "the worker upscaled nothing: " + out);
        // a JVM's resident set holds its heap in use: a figure read from the wrong process or unit would not
        assertTrue(last[2] > last[3] && last[3] > 0, "RSS " + last[2] + " MB, heap " + last[3] + " MB");
        assertTrue(out.contains("4 streams of " + CLIP), out);
        assertTrue(Pattern.compile("slope over the later half \\(12s to 20s, 3 samples, least squares\\): worker RSS"
                + " [+-]\\d+\\.\\d\\d MB/min, least heap used [+-]\\d+\\.\\d\\d MB/min").matcher(out).find(), out);
    }

    @Test
    void badSoakOptionsAreOneLine() {
        assertTrue(error("bench", "--soak", "1m", "--soak-upscaler", "nearest", "--input", CLIP)
                .contains("expected one of [asdn, bicubic]"));
        assertEquals("lapstream: error: no model at nowhere (give --model DIR, or --soak-upscaler bicubic)",
                error("bench", "--soak", "1m", "--model", "nowhere", "--input", CLIP));
        assertEquals("lapstream: error: --soak runs on an embedded broker; drop --bootstrap",
                error("bench", "--soak", "1m", "--bootstrap", "localhost:9092", "--input", CLIP));
        assertTrue(error("bench", "--soak", "soon").contains("'soon' is not a duration"));
    }

    private static String error(String... args) {
        CommandLine cli = Lapstream.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(args));
        return err.toString().lines().findFirst().orElse("");
    }
}
