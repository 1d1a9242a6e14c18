package dev.lapstream.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lapstream.core.quality.Protocol;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lanczos-3 and OpenCV-style cubic next to the default MATLAB bicubic, and the plain-cubic degradation. */
class ResizeKernelTest {

    @Test
    void lanczos3Values() {
        assertEquals(1.0, Resize.lanczos3(0), 0);
        for (int k = 1; k <= 3; k++) {
            assertEquals(0.0, Resize.lanczos3(k), 1e-12);
            assertEquals(0.0, Resize.lanczos3(-k), 1e-12);
        }
        // sinc(0.5) * sinc(1/6) = (2/pi) * sin(pi/6) / (pi/6)
        assertEquals((2 / Math.PI) * (0.5 / (Math.PI / 6)), Resize.lanczos3(0.5), 1e-12);
        assertEquals(0.0, Resize.lanczos3(3.5), 0);
    }

    @Test
    void opencvCubicMatchesHandWorkedValues() {
        // a = -0.75, replicated borders: out[0] samples x = -0.25 over {1,1,1,2}, out[1] x = 0.25 over {1,1,2,3}
        float[] up = Resize.opencvCubic(new float[] {1, 2, 3, 4}, 4, 1, 1, 8, 1);
        assertEquals(0.89453125f, up[0], 1e-6f);
        assertEquals(1.19140625f, up[1], 1e-6f);
        assertEquals(5f, up[0] + up[7], 1e-5f); // the ramp is antisymmetric about 2.5
    }

    @Test
    void kernelsKeepConstantsAndDefaultIsUnchanged() {
        byte[] px = new byte[37 * 23 * 3];
        new Random(7).nextBytes(px);
        RgbImage img = new RgbImage(37, 23, px);
        for (int[] s : new int[][] {{74, 46}, {19, 12}, {50, 17}}) {
            RgbImage a = Resize.resize(img, s[0], s[1]);
            RgbImage b = Resize.resize(img, s[0], s[1], Resize.Kernel.CUBIC);
            assertArrayEquals(a.pixels(), b.pixels());
        }
        byte[] flat = new byte[10 * 8 * 3];
        java.util.Arrays.fill(flat, (byte) 99);
        RgbImage c = new RgbImage(10, 8, flat);
        for (int[] s : new int[][] {{25, 17}, {4, 3}}) {
            for (Resize.Kernel k : Resize.Kernel.values()) {
                for (byte v : Resize.resize(c, s[0], s[1], k).pixels()) {
                    assertEquals(99, v & 0xff, k + " " + s[0] + "x" + s[1]);
                }
            }
            for (byte v : Resize.opencvCubic(c, s[0], s[1]).pixels()) {
                assertEquals(99, v & 0xff, "opencvCubic " + s[0] + "x" + s[1]);
            }
        }
    }

    @Test
    void plainCubicDegradationHasProtocolSize() {
        byte[] px = new byte[30 * 21 * 3];
        new Random(3).nextBytes(px);
        RgbImage hr = Protocol.cropHr(new RgbImage(30, 21, px), 3, 3);
        RgbImage a = Protocol.degrade(hr, 3, 3);
        RgbImage b = Protocol.degradePlainCubic(hr, 3, 3);
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), b.height());
        assertEquals(10, b.width());
        assertEquals(7, b.height());
    }
}
