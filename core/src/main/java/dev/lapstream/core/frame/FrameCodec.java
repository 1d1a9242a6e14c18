package dev.lapstream.core.frame;

import dev.lapstream.core.image.RgbImage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The binary wire format of {@link FrameRecord}s (big-endian).
 *
 * <pre>
 * header (8 bytes): magic 'L' 'S' | version u8 | type u8 | reserved u32 (0)
 * START  : width i32 | height i32 | frameRate f64 | durationMicros i64 | frameCount i64
 *          | audioRate i32 | audioChannels i32 | sourceLength i32 | source UTF-8
 * VIDEO  : index i64 | pts i64 | timeBaseNum i32 | timeBaseDen i32 | captureMillis i64
 *          | width i32 | height i32 | pixelFormat u8 | length i32 | payload
 * AUDIO  : pts i64 | sampleRate i32 | channels i32 | count i32 | samples i16 x count
 * END    : frames i64 | lastPts i64 | truncated u8
 * </pre>
 *
 * The pixel format names the payload's {@link PixelCodec}: 1 raw RGB24 (the only one before the codecs, so
 * those records decode unchanged), 2 lossless, 3 PNG, 4 JPEG. Every field is validated on decode, so a corrupt
 * or foreign record fails with a reason instead of allocating absurd buffers. Timestamps are written with an
 * explicit time base (1/1,000,000 today) so a later version can carry container time bases unchanged.
 */
public final class FrameCodec {

    public static final byte VERSION = 1;
    public static final int MAX_SIDE = 16384;
    static final byte TYPE_START = 1;
    static final byte TYPE_VIDEO = 2;
    static final byte TYPE_AUDIO = 3;
    static final byte TYPE_END = 4;
    private static final int HEADER = 8;
    private static final int VIDEO_FIELDS = 45;
    private static final int MAX_SOURCE_BYTES = 4096;
    private static final int MICROS = 1_000_000;

    private FrameCodec() {
    }

    /** Encodes with raw pixels. */
    public static byte[] encode(FrameRecord record) {
        return encode(record, PixelCodec.RAW_CODEC);
    }

    /** @param pixels how a video record's pixels are encoded; the other records ignore it */
    public static byte[] encode(FrameRecord record, PixelCodec pixels) {
        if (record instanceof FrameRecord.Start s) {
            return encodeStart(s.info());
        }
        if (record instanceof FrameRecord.Video v) {
            return encodeVideo(v.frame(), pixels);
        }
        if (record instanceof FrameRecord.Audio a) {
            return encodeAudio(a.chunk());
        }
        FrameRecord.End e = (FrameRecord.End) record;
        return header(TYPE_END, 17).putLong(e.frames()).putLong(e.lastPtsMicros())
                .put((byte) (e.truncated() ? 1 : 0)).array();
    }

    /** Decodes a record value, or throws {@link MalformedRecordException} saying what is wrong with it. */
    public static FrameRecord decode(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedRecordException("record has no value");
        }
        if (bytes.length < HEADER) {
            throw new MalformedRecordException("record of " + bytes.length + " bytes is shorter than the 8-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (in.get() != 'L' || in.get() != 'S') {
            throw new MalformedRecordException("not a lapstream frame record (bad magic)");
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new MalformedRecordException("unsupported frame record version " + version + " (this build reads " + VERSION + ")");
        }
        byte type = in.get();
        in.getInt();
        try {
            FrameRecord record = switch (type) {
                case TYPE_START -> decodeStart(in);
                case TYPE_VIDEO -> decodeVideo(in);
                case TYPE_AUDIO -> decodeAudio(in);
                case TYPE_END -> decodeEnd(in);
                default -> throw new MalformedRecordException("unknown frame record type " + type);
            };
            if (in.hasRemaining()) {
                throw new MalformedRecordException(in.remaining() + " unexpected trailing bytes");
            }
            return record;
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("record truncated: " + bytes.length + " bytes");
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException(e.getMessage());
        }
    }

    /**
     * The frame index of a video record, or -1 for any other value, read from the header without decoding: a
     * reader that wants one frame of a stream (the dashboard's thumbnails) skips the pixel copy of all others.
     */
    public static long videoIndex(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER + 8 || bytes[0] != 'L' || bytes[1] != 'S' || bytes[2] != VERSION
                || bytes[3] != TYPE_VIDEO) {
            return -1;
        }
        return Math.max(-1, ByteBuffer.wrap(bytes, HEADER, 8).order(ByteOrder.BIG_ENDIAN).getLong());
    }

    private static ByteBuffer header(byte type, int bodyLength) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + bodyLength).order(ByteOrder.BIG_ENDIAN);
        return out.put((byte) 'L').put((byte) 'S').put(VERSION).put(type).putInt(0);
    }

    private static byte[] encodeStart(StreamInfo info) {
        byte[] source = utf8(info.source() == null ? "" : info.source());
        return header(TYPE_START, 44 + source.length)
                .putInt(info.width()).putInt(info.height()).putDouble(info.frameRate())
                .putLong(info.durationMicros()).putLong(info.frameCount())
                .putInt(info.audioSampleRate()).putInt(info.audioChannels())
                .putInt(source.length).put(source).array();
    }

    /** Whether a record value is a start record, from its header alone (for scanning a topic cheaply). */
    public static boolean isStart(byte[] bytes) {
        return hasType(bytes, TYPE_START);
    }

    /** Whether a record value is an end record, from its header alone. */
    public static boolean isEnd(byte[] bytes) {
        return hasType(bytes, TYPE_END);
    }

    /** An audio record's pts, or {@link Long#MIN_VALUE} for any other record. */
    public static long audioPts(byte[] bytes) {
        return hasType(bytes, TYPE_AUDIO) && bytes.length >= HEADER + 8 ? ByteBuffer.wrap(bytes).getLong(HEADER)
                : Long.MIN_VALUE;
    }

    private static boolean hasType(byte[] bytes, byte type) {
        return bytes != null && bytes.length >= HEADER && bytes[0] == 'L' && bytes[1] == 'S' && bytes[2] == VERSION
                && bytes[3] == type;
    }

    /** Size of the encoded record of one video frame of {@code width x height} in the raw codec (RGB24). */
    public static long videoRecordBytes(int width, int height) {
        return HEADER + VIDEO_FIELDS + 3L * width * height;
    }

    private static byte[] encodeVideo(VideoFrame frame, PixelCodec codec) {
        RgbImage image = frame.image();
        byte[] payload = codec.encode(image);
        return header(TYPE_VIDEO, VIDEO_FIELDS + payload.length)
                .putLong(frame.index()).putLong(frame.ptsMicros()).putInt(1).putInt(MICROS)
                .putLong(frame.captureMillis()).putInt(image.width()).putInt(image.height())
                .put(codec.format()).putInt(payload.length).put(payload).array();
    }

    private static byte[] encodeAudio(AudioChunk chunk) {
        ByteBuffer out = header(TYPE_AUDIO, 20 + 2 * chunk.samples().length)
                .putLong(chunk.ptsMicros()).putInt(chunk.sampleRate()).putInt(chunk.channels())
                .putInt(chunk.samples().length);
        out.asShortBuffer().put(chunk.samples());
        return out.array();
    }

    private static FrameRecord decodeStart(ByteBuffer in) {
        int width = in.getInt();
        int height = in.getInt();
        checkSize(width, height);
        double fps = in.getDouble();
        if (!(fps > 0 && fps < 10_000)) {
            throw new MalformedRecordException("frame rate " + fps + " out of range");
        }
        long duration = in.getLong();
        long count = in.getLong();
        int rate = in.getInt();
        int channels = in.getInt();
        if (rate < 0 || channels < 0 || channels > 64) {
            throw new MalformedRecordException("bad audio parameters: " + rate + " Hz, " + channels + " channels");
        }
        int len = in.getInt();
        if (len < 0 || len > MAX_SOURCE_BYTES) {
            throw new MalformedRecordException("source name length " + len + " out of range");
        }
        byte[] source = new byte[len];
        in.get(source);
        return new FrameRecord.Start(new StreamInfo(width, height, fps, duration, count, rate, channels,
                new String(source, StandardCharsets.UTF_8)));
    }

    private static FrameRecord decodeVideo(ByteBuffer in) {
        long index = in.getLong();
        long pts = in.getLong();
        int num = in.getInt();
        int den = in.getInt();
        if (num <= 0 || den <= 0) {
            throw new MalformedRecordException("bad time base " + num + "/" + den);
        }
        long capture = in.getLong();
        int width = in.getInt();
        int height = in.getInt();
        checkSize(width, height);
        byte format = in.get();
        int len = in.getInt();
        if (format == PixelCodec.RAW && len != width * height * 3) {
            throw new MalformedRecordException("pixel payload of " + len + " bytes does not match "
                    + width + "x" + height + " RGB24");
        }
        if (len < 0 || len > in.remaining()) {
            throw new MalformedRecordException("pixel payload of " + len + " bytes, " + in.remaining() + " left");
        }
        if (index < 0) {
            throw new MalformedRecordException("negative frame index " + index);
        }
        byte[] payload = new byte[len];
        in.get(payload);
        long ptsMicros = num == 1 && den == MICROS ? pts : Math.round(pts * ((double) num * MICROS / den));
        RgbImage image = PixelCodec.decode(format, width, height, payload);
        return new FrameRecord.Video(new VideoFrame(index, ptsMicros, capture, image));
    }

    private static FrameRecord decodeAudio(ByteBuffer in) {
        long pts = in.getLong();
        int rate = in.getInt();
        int channels = in.getInt();
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / 2) {
            throw new MalformedRecordException("audio sample count " + count + " does not match the record size");
        }
        short[] samples = new short[count];
        in.asShortBuffer().get(samples);
        in.position(in.position() + 2 * count);
        return new FrameRecord.Audio(new AudioChunk(pts, rate, channels, samples));
    }

    private static FrameRecord decodeEnd(ByteBuffer in) {
        long frames = in.getLong();
        long lastPts = in.getLong();
        byte truncated = in.get();
        if (frames < 0) {
            throw new MalformedRecordException("negative frame count " + frames);
        }
        return new FrameRecord.End(frames, lastPts, truncated != 0);
    }

    private static void checkSize(int width, int height) {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new MalformedRecordException("frame size " + width + "x" + height + " outside 1.." + MAX_SIDE);
        }
    }

    private static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_SOURCE_BYTES) {
            throw new IllegalArgumentException("source name longer than " + MAX_SOURCE_BYTES + " bytes");
        }
        return b;
    }
}
