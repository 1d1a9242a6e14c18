package dev.lapstream.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResizeTest {

    @Test
    void constantStaysConstant() {
        float[] p = new float[7 * 5];
        java.util.Arrays.fill(p, 42f);
        for (int[] s : new int[][] {{14, 10}, {3, 2}, {11, 4}, {7, 5}, {20, 3}}) {
            float[] r = Resize.imresize(p, 7, 5, s[0], s[1]);
            assertEquals(s[0] * s[1], r.length);
            for (float v : r) {
                assertEquals(42f, v, 1e-3f);
            }
        }
    }

    @Test
    void sameSizeIsIdentity() {
        float[] p = new float[6 * 4];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        assertArrayEquals(p, Resize.imresize(p, 6, 4, 6, 4), 0f);
    }

    @Test
    void matlabReferenceValues() {
        // imresize([1 2 3 4], [1 8], 'bicubic'): first sample worked by hand from MATLAB's
        // contributions() (u = 0.75, taps at 1-based -1..2 mirrored to 2,1,1,2), the rest by symmetry
        float[] up = Resize.imresize(new float[] {1, 2, 3, 4}, 4, 1, 8, 1);
        float[] expUp = {0.90625f, 1.1796875f, 1.7265625f, 2.25f, 2.75f, 3.2734375f, 3.8203125f, 4.09375f};
        assertArrayEquals(expUp, up, 1e-5f);
        float[] down = Resize.imresize(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 8, 1, 4, 1);
        // antialiased kernel of width 8 with symmetric padding: the mirrored ramp is antisymmetric
        // about its centre, so outputs pair up to 9, and they increase
        assertEquals(9f, down[0] + down[3], 1e-5f);
        assertEquals(9f, down[1] + down[2], 1e-5f);
        assertTrue(down[0] < down[1] && down[1] < down[2] && down[2] < down[3]);
    }

    @Test
    void mirrorIndex() {
        assertEquals(0, Resize.mirror(-1, 4));
        assertEquals(1, Resize.mirror(-2, 4));
        assertEquals(3, Resize.mirror(4, 4));
        assertEquals(2, Resize.mirror(5, 4));
    }

    @Test
    void asymmetric() {
        byte[] px = new byte[10 * 8 * 3];
        new Random(2).nextBytes(px);
        RgbImage out = Resize.resize(new RgbImage(10, 8, px), 25, 12);
        assertEquals(25, out.width());
        assertEquals(12, out.height());
    }
}
