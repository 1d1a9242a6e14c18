package dev.lapstream.sink;

import dev.lapstream.media.FfmpegLog;
import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes {@link VideoFrame}s to H.264 (OpenH264, yuv420p) and {@link AudioChunk}s to AAC, into an MP4 /
 * MPEG-TS / Matroska file or, for publishing segments, fragmented MP4 or MPEG-TS on an {@link OutputStream}.
 *
 * <p>Timing: every frame keeps its own {@code ptsMicros}, on the container's clock ({@link Container#timescale}:
 * 90 kHz, or Matroska's milliseconds), not on a grid of 1 / frameRate, so constant, irregular and changing
 * frame rates all come out as they went in. The nominal frame rate is what the stream declares, the default
 * GOP, the rate control's frame budget and the last frame's display time (the muxer gives it one nominal frame).
 * A frame whose pts is not after the previous one's tick is moved one tick later, so no frame is dropped.
 * Audio is written continuously from time 0; a chunk whose pts leaves a gap gets silence in front of
 * it, one that overlaps what was already written loses the overlapping samples, so sound stays in sync with
 * the pictures.
 *
 * <p>Size: yuv420p H.264 from OpenH264 needs even dimensions (it rounds odd ones up and shows garbage), so an
 * odd width or height is padded by one column / row that repeats the edge pixels; nothing is scaled or cut.
 * {@link #encodedWidth()} / {@link #encodedHeight()} report the size in the file.
 *
 * <p>Write methods are synchronized, so video and audio may come from different threads; feed both in roughly
 * pts order (the muxer interleaves within 10 s).
 */
public final class VideoWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VideoWriter.class);

    /** The encoder: the LGPL FFmpeg build's only software H.264 encoder (libx264 needs the GPL build). */
    public static final String VIDEO_CODEC = "libopenh264";
    /**
     * OpenH264 takes its frame rate from the codec time base, at most this, and gives each frame bitrate / rate
     * of the budget; with the fine time base it assumes this rate whatever the stream's.
     */
    static final double OPENH264_MAX_FPS = 60;
    /** Audio gaps or overlaps smaller than this are left alone (timestamp rounding, AAC frame jitter). */
    private static final long AUDIO_SYNC_TOLERANCE_MICROS = 10_000;

    static {
        FfmpegLog.init();
    }

    /** Output containers. */
    public enum Container {
        /** plain MP4 (files only: the index is written at the end, so it needs a seekable output) */
        MP4("mp4", 90_000),
        /** MP4 in self-contained fragments, one per GOP: streamable, playable while being written */
        FRAGMENTED_MP4("mp4", 90_000),
        /** MPEG transport stream */
        MPEG_TS("mpegts", 90_000),
        /** Matroska (files only) */
        MATROSKA("matroska", 1_000);

        final String ffmpegFormat;
        /**
         * Ticks per second of the video timestamps: MPEG's 90 kHz clock, which holds every common frame rate
         * exactly (NTSC's 30000/1001 included); Matroska stores milliseconds.
         */
        final int timescale;

        Container(String ffmpegFormat, int timescale) {
            this.ffmpegFormat = ffmpegFormat;
            this.timescale = timescale;
        }

        /** The file extensions {@link #forFile} knows; anything else would silently get MP4. */
        public static final java.util.List<String> FILE_EXTENSIONS = java.util.List.of(".mp4", ".m4v", ".mkv",
                ".ts", ".m2ts");

        /** By file extension: .ts / .m2ts → MPEG-TS, .mkv → Matroska, anything else MP4. */
        public static Container forFile(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".ts") || name.endsWith(".m2ts")) {
                return MPEG_TS;
            }
            if (name.endsWith(".mkv")) {
                return MATROSKA;
            }
            return MP4;
        }
    }

    private final String target;
    private final VideoWriterOptions options;
    private final FFmpegFrameRecorder recorder;
    private final int timescale;
    private final AVFrame picture;
    private final int encodedWidth;
    private final int encodedHeight;
    private final Frame frame;
    private final byte[] row;

    private long lastTick = Long.MIN_VALUE;
    private long framesWritten;
    private long framesRetimed;
    private double audioWrittenMicros;
    private long audioSilenceMicros;
    private long audioDroppedMicros;
    private boolean audioIgnoredLogged;
    private boolean closed;

    /** MP4 file (or by extension, see {@link Container#forFile}), constant quality; audio 0/0 for none. */
    public VideoWriter(Path file, int width, int height, double frameRate, int audioSampleRate, int audioChannels) {
        this(file, VideoWriterOptions.of(width, height, frameRate).withAudio(audioSampleRate, audioChannels));
    }

    /** Writes a file; the container follows the extension ({@link Container#forFile}). */
    public VideoWriter(Path file, VideoWriterOptions options) {
        this(file, Container.forFile(file), options);
    }

    public VideoWriter(Path file, Container container, VideoWriterOptions options) {
        this(file.toString(), prepareFile(file, container, options), container, options);
    }

    /**
     * Writes a stream for publishing in chunks: {@link Container#FRAGMENTED_MP4} or {@link Container#MPEG_TS}.
     * The stream is flushed but not closed by {@link #close()}.
     */
    public VideoWriter(OutputStream out, Container container, VideoWriterOptions options) {
        this("<stream>", streamRecorder(out, container, options), container, options);
    }

    private VideoWriter(String target, FFmpegFrameRecorder recorder, Container container, VideoWriterOptions options) {
        this.target = target;
        this.options = options;
        this.recorder = recorder;
        this.timescale = container.timescale;
        this.encodedWidth = even(options.width());
        this.encodedHeight = even(options.height());
        configure(recorder, container, options, encodedWidth, encodedHeight);
        try {
            recorder.start();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            release(recorder);
            throw new VideoOutputException(target + ": cannot start the " + container + " encoder ("
                    + firstLine(e.getMessage()) + ")", e);
        }
        this.picture = RecorderPicture.of(recorder);
        this.frame = new Frame(encodedWidth, encodedHeight, Frame.DEPTH_UBYTE, 3);
        this.row = new byte[encodedWidth * 3];
        log.info("writing {}: {} {}x{}{} @ {} fps, {}, GOP {}, audio {}", target, container, encodedWidth, encodedHeight,
                encodedWidth != options.width() || encodedHeight != options.height()
                        ? " (padded from " + options.width() + "x" + options.height() + ")" : "",
                String.format(Locale.ROOT, "%.3f", options.frameRate()),
                options.videoBitrate() > 0 ? options.videoBitrate() / 1000 + " kbit/s" : "QP " + options.quality(),
                options.effectiveGop(),
                options.hasAudio() ? "AAC " + options.audioSampleRate() + " Hz x" + options.audioChannels() : "none");
    }

    private static FFmpegFrameRecorder prepareFile(Path file, Container container, VideoWriterOptions options) {
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new VideoOutputException(file + ": the directory " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new VideoOutputException(file + ": is a directory");
        }
        return new FFmpegFrameRecorder(file.toAbsolutePath().toString(), even(options.width()),
                even(options.height()), options.hasAudio() ? options.audioChannels() : 0);
    }

    private static FFmpegFrameRecorder streamRecorder(OutputStream out, Container container,
                                                      VideoWriterOptions options) {
        Objects.requireNonNull(out, "out");
        if (container != Container.FRAGMENTED_MP4 && container != Container.MPEG_TS) {
            throw new IllegalArgumentException(container + " needs a seekable file; use FRAGMENTED_MP4 or MPEG_TS "
                    + "for streams");
        }
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, even(options.width()), even(options.height()),
                options.hasAudio() ? options.audioChannels() : 0);
        r.setCloseOutputStream(false);
        return r;
    }

    private static void configure(FFmpegFrameRecorder r, Container container, VideoWriterOptions o, int w, int h) {
        r.setFormat(container.ffmpegFormat);
        r.setImageWidth(w);
        r.setImageHeight(h);
        r.setVideoCodecName(VIDEO_CODEC);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(o.frameRate());
        // JavaCV's time base is 1 / frameRate, which would round every pts to the nominal grid
        r.setVideoOption("time_base", "1/" + container.timescale);
        r.setGopSize(o.effectiveGop());
        // RGB -> YUV at the same size: only the chroma filter matters; accurate rounding avoids a colour cast
        r.setImageScalingFlags(swscale.SWS_BICUBIC | swscale.SWS_ACCURATE_RND);
        // swscale converts with BT.601 limited range: say so, or players assume BT.709. All three fields:
        // Chromium ignores a matrix whose primaries and transfer are unspecified (HlsPlaybackTest)
        r.setVideoOption("colorspace", "smpte170m");
        r.setVideoOption("color_primaries", "smpte170m");
        r.setVideoOption("color_trc", "smpte170m");
        r.setVideoOption("color_range", "tv");
        if (o.videoBitrate() > 0) {
            r.setVideoBitrate(encoderBitrate(o));
            r.setVideoOption("rc_mode", "bitrate");
        } else {
            // OpenH264 quality mode bounded to a narrow QP band: a constant-quality setting that, unlike bitrate
            // mode, does not depend on the frame rate or picture size
            r.setVideoBitrate(0);
            r.setVideoOption("rc_mode", "quality");
            r.setVideoOption("qmin", Integer.toString(Math.max(1, o.quality() - 3)));
            r.setVideoOption("qmax", Integer.toString(Math.min(51, o.quality() + 3)));
        }
        switch (container) {
            case MP4 -> {
                r.setOption("movflags", "+faststart");
                r.setOption("video_track_timescale", Integer.toString(container.timescale));
            }
            case FRAGMENTED_MP4 -> {
                r.setOption("movflags", "frag_keyframe+empty_moov+default_base_moof");
                r.setOption("video_track_timescale", Integer.toString(container.timescale));
            }
            // each segment's first packets say "discontinuity", so a demuxer reading segments back to back
            // does not flag the restarted continuity counters as corruption
            case MPEG_TS -> {
                r.setOption("mpegts_flags", "+initial_discontinuity");
                // AAC's priming frame starts before 0; shifting it up would move the first segment's video
                // against the later ones (MPEG-TS adds its own 1.4 s delay, so nothing goes negative)
                r.setOption("avoid_negative_ts", "disabled");
            }
            default -> {
            }
        }
        if (o.outputOffsetMicros() > 0) {
            r.setOption("output_ts_offset", o.outputOffsetMicros() + "us");
        }
        if (o.hasAudio()) {
            r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            r.setAudioChannels(o.audioChannels());
            r.setSampleRate(o.audioSampleRate());
            r.setAudioBitrate(o.effectiveAudioBitrate());
        } else {
            r.setAudioChannels(0);
        }
    }

    /** The bitrate to ask OpenH264 for, so that it spends {@code videoBitrate / frameRate} on a frame. */
    static int encoderBitrate(VideoWriterOptions o) {
        double scaled = o.videoBitrate() * OPENH264_MAX_FPS / Math.min(o.frameRate(), OPENH264_MAX_FPS);
        return (int) Math.min(Integer.MAX_VALUE, Math.round(scaled));
    }

    /** Size of the encoded pictures: the requested size rounded up to even. */
    public int encodedWidth() {
        return encodedWidth;
    }

    public int encodedHeight() {
        return encodedHeight;
    }

    public VideoWriterOptions options() {
        return options;
    }

    /** Frames encoded so far. */
    public synchronized long framesWritten() {
        return framesWritten;
    }

    /** Frames whose pts was not after the previous frame's tick, moved one tick later. */
    public synchronized long framesRetimed() {
        return framesRetimed;
    }

    /**
     * Encodes one picture at its pts.
     *
     * @throws IllegalArgumentException if the picture is not {@code width x height} of the options
     */
    public synchronized void write(VideoFrame videoFrame) {
        ensureOpen();
        RgbImage img = videoFrame.image();
        if (img.width() != options.width() || img.height() != options.height()) {
            throw new IllegalArgumentException("frame " + videoFrame.index() + " is " + img.width() + "x"
                    + img.height() + ", the writer expects " + options.width() + "x" + options.height());
        }
        long tick = Math.max(0, Math.round(videoFrame.ptsMicros() * (double) timescale / 1e6));
        if (lastTick != Long.MIN_VALUE && tick <= lastTick) {
            if (framesRetimed++ == 0) {
                log.debug("{}: frame {} at {} us is not after the previous one; moved one tick later", target,
                        videoFrame.index(), videoFrame.ptsMicros());
            }
            tick = lastTick + 1;
        }
        copyPadded(img);
        try {
            picture.pts(tick);
            recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
        } catch (FrameRecorder.Exception | RuntimeException e) {
            throw new VideoOutputException(target + ": encoding frame " + videoFrame.index() + " failed ("
                    + firstLine(e.getMessage()) + ")", e);
        }
        lastTick = tick;
        framesWritten++;
    }

    /** Encodes audio at its pts (ignored, once logged, when the writer was made without audio). */
    public synchronized void write(AudioChunk chunk) {
        ensureOpen();
        if (!options.hasAudio()) {
            if (!audioIgnoredLogged) {
                audioIgnoredLogged = true;
                log.warn("{}: audio chunk ignored, the writer was created without an audio track", target);
            }
            return;
        }
        int rate = chunk.sampleRate();
        int channels = chunk.channels();
        short[] samples = chunk.samples();
        int offset = 0;
        long gap = chunk.ptsMicros() - Math.round(audioWrittenMicros);
        try {
            if (gap > AUDIO_SYNC_TOLERANCE_MICROS) {
                long silence = Math.round(gap * rate / 1e6);
                short[] block = new short[(int) Math.min(silence, rate) * channels]; // at most 1 s per call
                for (long left = silence; left > 0; left -= block.length / channels) {
                    int n = (int) Math.min(left, block.length / channels);
                    recorder.recordSamples(rate, channels, ShortBuffer.wrap(block, 0, n * channels));
                }
                audioWrittenMicros += silence * 1e6 / rate;
                audioSilenceMicros += gap;
            } else if (gap < -AUDIO_SYNC_TOLERANCE_MICROS) {
                int drop = (int) Math.min(samples.length / channels, Math.round(-gap * rate / 1e6));
                offset = drop * channels;
                audioDroppedMicros += -gap;
            }
            int frames = (samples.length - offset) / channels;
            if (frames > 0) {
                recordSamples(rate, channels, samples, offset);
                audioWrittenMicros += frames * 1e6 / rate;
            }
        } catch (FrameRecorder.Exception | RuntimeException e) {
            throw new VideoOutputException(target + ": encoding audio at " + chunk.ptsMicros() + " us failed ("
                    + firstLine(e.getMessage()) + ")", e);
        }
    }

    private void recordSamples(int rate, int channels, short[] samples, int offset) throws FrameRecorder.Exception {
        if (samples.length - offset > 0) {
            recorder.recordSamples(rate, channels, ShortBuffer.wrap(samples, offset, samples.length - offset));
        }
    }

    /** Flushes the encoders and writes the trailer. The output is complete only after this. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
        } catch (FrameRecorder.Exception | RuntimeException e) {
            throw new VideoOutputException(target + ": finishing the output failed (" + firstLine(e.getMessage())
                    + ")", e);
        } finally {
            release(recorder);
        }
        log.info("{}: wrote {} frames ({} retimed), audio {} s{}", target, framesWritten, framesRetimed,
                String.format(Locale.ROOT, "%.2f", audioWrittenMicros / 1e6),
                audioSilenceMicros + audioDroppedMicros > 0 ? String.format(Locale.ROOT,
                        " (%.3f s silence inserted, %.3f s overlap dropped)", audioSilenceMicros / 1e6,
                        audioDroppedMicros / 1e6) : "");
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(target + ": writer is closed");
        }
    }

    /** Copies RGB24 rows into the recorder's frame, repeating the last column / row into the even padding. */
    private void copyPadded(RgbImage img) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        int w = img.width();
        int h = img.height();
        byte[] px = img.pixels();
        int srcRow = w * 3;
        for (int y = 0; y < encodedHeight; y++) {
            int sy = Math.min(y, h - 1);
            System.arraycopy(px, sy * srcRow, row, 0, srcRow);
            for (int x = w; x < encodedWidth; x++) {
                System.arraycopy(px, sy * srcRow + (w - 1) * 3, row, x * 3, 3);
            }
            buf.put(y * stride, row, 0, row.length);
        }
    }

    private static int even(int n) {
        return n + (n & 1);
    }

    private static void release(FFmpegFrameRecorder r) {
        try {
            r.release();
        } catch (Exception | Error e) {
            log.debug("releasing recorder", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
