package dev.lapstream.model;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Small helpers to move float arrays in and out of tensors. */
public final class Tensors {

    private Tensors() {
    }

    public static TFloat32 of(float[] data, long... shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    public static TFloat32 scalar(float v) {
        return TFloat32.scalarOf(v);
    }

    public static TInt32 scalar(int v) {
        return TInt32.scalarOf(v);
    }

    public static float[] toArray(Tensor t) {
        TFloat32 f = (TFloat32) t;
        float[] out = new float[(int) f.shape().size()];
        f.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    public static float toFloat(Tensor t) {
        return ((TFloat32) t).getFloat();
    }
}
