package dev.lapstream.bench;

import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.spec.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CodecBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void measuresEveryCodecAtEverySize() throws Exception {
        Random random = new Random(5);
        for (int n = 0; n < 2; n++) {
            BufferedImage photo = new BufferedImage(100, 70, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < 70; y++) {
                for (int x = 0; x < 100; x++) {
                    photo.setRGB(x, y, (x * 2 + n) << 16 | (y * 3) << 8 | random.nextInt(40));
                }
            }
            ImageIO.write(photo, "png", dir.resolve("photo" + n + ".png").toFile());
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        List<CodecBenchmark.Row> rows = new CodecBenchmark(new CodecBenchmark.Options(dir,
                List.of(new Size(64, 48)), List.of("raw", "jpeg:90"), 2, 3, ClientConfig.of(null)),
                new PrintStream(text, true, StandardCharsets.UTF_8)).run();

        assertThat(rows).extracting(CodecBenchmark.Row::codec).containsExactly("raw", "jpeg:90");
        assertThat(rows.get(0).bytes()).isEqualTo(64 * 48 * 3);
        assertThat(rows.get(0).psnr()).isInfinite();
        assertThat(rows.get(1).bytes()).isLessThan(64 * 48 * 3);
        assertThat(rows.get(1).psnr()).isBetween(25.0, 80.0);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.fps()).isPositive();
            assertThat(r.lz4()).isBetween(0.01, 1.1);
            assertThat(r.zstd()).isBetween(0.01, 1.1);
        });
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("| 64x48 | jpeg:90 |", "fps through Kafka");
    }
}
