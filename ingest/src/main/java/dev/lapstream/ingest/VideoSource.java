package dev.lapstream.ingest;

import dev.lapstream.media.FfmpegLog;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.ingest.VideoInputException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a video file or network stream into {@link VideoFrame}s (RGB24) and {@link AudioChunk}s (interleaved
 * S16), in the order the demuxer delivers them. Not thread-safe: one puller per source.
 *
 * <p>Bad input fails fast in {@link #open}: missing or empty files, bytes no allowed demuxer recognises,
 * containers without a video stream, codecs without a decoder, and pictures outside the size bounds all throw
 * {@link VideoInputException} before any frame buffer is allocated (the input is probed with plain libavformat
 * first, because JavaCV allocates its RGB buffer inside {@code start()}).
 *
 * <p>A stream that is cut short (truncated file, dropped connection, decoder failure mid-way) is not an
 * exception: every frame that decodes is returned, then {@link #next()} returns {@code null} and
 * {@link #truncated()} / {@link #warning()} say what was missing. Only when not a single frame decodes does
 * {@link #next()} throw, so an empty output is never produced silently.
 *
 * <p>Timestamps: {@code ptsMicros} counts from the first video frame (frame 0 has pts 0) and comes from the
 * stream's own timestamps, so variable-frame-rate input keeps its timing. Audio that precedes the first
 * picture is held back until it arrives, then trimmed so no chunk starts before 0.
 */
public final class VideoSource implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VideoSource.class);

    /** Network schemes we hand to FFmpeg; anything else with "://" is refused. */
    private static final Set<String> NETWORK_SCHEMES =
            Set.of("http", "https", "rtsp", "rtsps", "rtmp", "rtmps", "srt", "udp");
    /** No "file" for network sources: a remote HLS playlist must not be able to read local files. */
    private static final String NETWORK_PROTOCOLS =
            "http,https,tcp,tls,crypto,httpproxy,rtsp,rtsps,rtp,srtp,udp,rtmp,rtmps,srt";
    /** Audio arriving before the first picture is buffered at most this long, then becomes the time origin. */
    private static final long MAX_AUDIO_LEAD_MICROS = 10_000_000L;
    /** AVERROR(ETIMEDOUT) on Linux. */
    private static final int AVERROR_ETIMEDOUT = -110;
    private static final int AVERROR_EINVAL = -22;

    static {
        FfmpegLog.init();
    }

    private final String source;
    private final VideoSourceOptions options;
    private final FFmpegFrameGrabber grabber;
    private final StreamInfo info;
    private final long expectedVideoMicros;   // -1 unknown
    private final long announcedFrames;       // -1 unknown

    private final ArrayDeque<MediaItem> pending = new ArrayDeque<>();
    private final ArrayDeque<RawAudio> earlyAudio = new ArrayDeque<>();
    private long originMicros = Long.MIN_VALUE;
    private long nextIndex;
    private long lastVideoTs = Long.MIN_VALUE;
    private long prevVideoTs = Long.MIN_VALUE;
    private long audioEndMicros = Long.MIN_VALUE; // relative to origin
    private long audioChunks;
    private long trimmedAudioMicros;
    private boolean ended;
    private boolean closed;
    private boolean truncated;
    private String warning;

    private VideoSource(String source, VideoSourceOptions options, FFmpegFrameGrabber grabber, StreamInfo info,
                        long expectedVideoMicros, long announcedFrames) {
        this.source = source;
        this.options = options;
        this.grabber = grabber;
        this.info = info;
        this.expectedVideoMicros = expectedVideoMicros;
        this.announcedFrames = announcedFrames;
    }

    public static VideoSource open(Path file) {
        return open(file.toString(), VideoSourceOptions.defaults());
    }

    public static VideoSource open(String pathOrUrl) {
        return open(pathOrUrl, VideoSourceOptions.defaults());
    }

    /**
     * Opens a local path, a {@code file:} URL, or an http(s)/rtsp(s)/rtmp(s)/srt/udp URL.
     *
     * @throws VideoInputException with a one-line message when the input cannot be decoded
     */
    public static VideoSource open(String pathOrUrl, VideoSourceOptions options) {
        if (pathOrUrl == null || pathOrUrl.isBlank()) {
            throw new VideoInputException(Reason.MISSING, String.valueOf(pathOrUrl), "no input given");
        }
        Target target = Target.of(pathOrUrl);
        Map<String, String> ffOptions = ffmpegOptions(target, options);
        Probe probe = probe(target, ffOptions, options);

        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(target.ffmpegUrl);
        grabber.setOptions(ffOptions);
        grabber.setImageMode(FrameGrabber.ImageMode.COLOR);
        grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        grabber.setSampleMode(FrameGrabber.SampleMode.SHORT);
        // decode exactly the streams the probe checked (JavaCV would take a cover picture, or an audio stream
        // without a decoder and then fail the whole open); an index that does not exist means "none"
        grabber.setVideoStream(probe.videoIndex);
        grabber.setAudioStream(options.includeAudio() && probe.audioIndex >= 0 ? probe.audioIndex : Integer.MAX_VALUE);
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            closeQuietly(grabber);
            throw new VideoInputException(target.network() ? Reason.IO : Reason.CORRUPT, pathOrUrl,
                    "cannot start decoding (" + firstLine(e.getMessage()) + ")", e);
        }
        try {
            int w = grabber.getImageWidth();
            int h = grabber.getImageHeight();
            if (!grabber.hasVideo() || w <= 0 || h <= 0) {
                throw new VideoInputException(Reason.NO_VIDEO_STREAM, pathOrUrl, "no decodable video stream");
            }
            checkDimensions(pathOrUrl, w, h, options);
            double fps = grabber.getFrameRate();
            if (!(fps > 0 && fps < 10_000)) {
                fps = probe.frameRate;
            }
            boolean audio = options.includeAudio() && grabber.hasAudio() && grabber.getAudioChannels() > 0
                    && grabber.getSampleRate() > 0;
            long frames = probe.frameCount;
            if (frames <= 0 && probe.durationMicros > 0 && fps > 0) {
                frames = Math.round(probe.durationMicros * fps / 1e6); // estimate, for progress bars
            }
            StreamInfo info = new StreamInfo(w, h, fps, probe.durationMicros, frames > 0 ? frames : -1,
                    audio ? grabber.getSampleRate() : 0, audio ? grabber.getAudioChannels() : 0, pathOrUrl);
            log.info("opened {}: {} {}x{} {} fps, {} s, {} frames, audio {}", pathOrUrl, grabber.getFormat(), w, h,
                    String.format(Locale.ROOT, "%.3f", fps),
                    probe.durationMicros < 0 ? "?" : String.format(Locale.ROOT, "%.2f", probe.durationMicros / 1e6),
                    info.frameCount(), audio ? info.audioSampleRate() + " Hz x" + info.audioChannels() : "none");
            return new VideoSource(pathOrUrl, options, grabber, info, probe.videoDurationMicros, probe.frameCount);
        } catch (RuntimeException e) {
            closeQuietly(grabber);
            throw e;
        }
    }

    /** What the stream is: size, rate, duration, frame count and audio format. */
    public StreamInfo info() {
        return info;
    }

    /**
     * The next decoded picture or audio chunk, or {@code null} at the end of the stream. After the end, check
     * {@link #truncated()}.
     *
     * @throws VideoInputException if the stream ended without a single decodable video frame
     */
    public MediaItem next() {
        while (true) {
            MediaItem item = pending.poll();
            if (item != null) {
                return item;
            }
            if (ended || closed) {
                return null;
            }
            pull();
        }
    }

    /** Pulls every remaining item, handing each to the matching consumer. Returns the number of video frames. */
    public long forEach(Consumer<VideoFrame> onFrame, Consumer<AudioChunk> onAudio) {
        long frames = 0;
        for (MediaItem item = next(); item != null; item = next()) {
            if (item instanceof MediaItem.Video v) {
                onFrame.accept(v.frame());
                frames++;
            } else if (item instanceof MediaItem.Audio a) {
                onAudio.accept(a.chunk());
            }
        }
        return frames;
    }

    /** True once the stream ended early: fewer frames or less time than the container announced, or a read error. */
    public boolean truncated() {
        return truncated;
    }

    /** Why the stream is {@link #truncated()}, one line, or {@code null}. */
    public String warning() {
        return warning;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(grabber);
        }
    }

    // ---------------------------------------------------------------- pulling

    private void pull() {
        Frame f;
        try {
            f = grabber.grabFrame(options.includeAudio(), true, true, false, false);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            markTruncated("decoding stopped after " + nextIndex + " frames: " + firstLine(e.getMessage()));
            finish();
            return;
        }
        if (f == null) {
            finish();
            return;
        }
        if (f.image != null && f.imageWidth > 0 && f.imageHeight > 0) {
            onVideo(f);
        } else if (f.samples != null && f.sampleRate > 0 && f.audioChannels > 0) {
            onAudio(f);
        }
    }

    private void onVideo(Frame f) {
        if (f.imageWidth > options.maxWidth() || f.imageHeight > options.maxHeight()) {
            markTruncated("picture size changed to " + f.imageWidth + "x" + f.imageHeight + " after " + nextIndex
                    + " frames, beyond the " + options.maxWidth() + "x" + options.maxHeight() + " limit");
            finish();
            return;
        }
        boolean first = originMicros == Long.MIN_VALUE;
        if (first) {
            originMicros = f.timestamp;
        }
        prevVideoTs = lastVideoTs;
        lastVideoTs = f.timestamp;
        RgbImage image = copyPixels(f);
        pending.add(new MediaItem.Video(new VideoFrame(nextIndex++, f.timestamp - originMicros,
                System.currentTimeMillis(), image)));
        if (first) {
            while (!earlyAudio.isEmpty()) {
                emitAudio(earlyAudio.poll());
            }
        }
    }

    /** Audio copied out of JavaCV's reused buffer, timestamp still absolute. */
    private record RawAudio(long timestamp, int sampleRate, int channels, short[] samples) {
    }

    private void onAudio(Frame f) {
        RawAudio a = new RawAudio(f.timestamp, f.sampleRate, f.audioChannels, copySamples(f));
        if (originMicros == Long.MIN_VALUE) {
            // hold audio until the first picture fixes the time origin
            earlyAudio.add(a);
            if (a.timestamp - earlyAudio.peek().timestamp > MAX_AUDIO_LEAD_MICROS) {
                originMicros = earlyAudio.peek().timestamp;
                log.warn("{}: more than {} s of audio before the first picture; timing starts at the first audio",
                        source, MAX_AUDIO_LEAD_MICROS / 1_000_000);
                while (!earlyAudio.isEmpty()) {
                    emitAudio(earlyAudio.poll());
                }
            }
            return;
        }
        emitAudio(a);
    }

    private void emitAudio(RawAudio a) {
        short[] samples = a.samples;
        int channels = a.channels;
        int rate = a.sampleRate;
        long pts = a.timestamp - originMicros;
        int frames = samples.length / channels;
        if (pts < 0) {
            // starts before the first picture: drop the part the output cannot show
            long drop = Math.min(frames, (-pts * rate + 999_999) / 1_000_000);
            if (drop >= frames) {
                return;
            }
            trimmedAudioMicros += drop * 1_000_000 / rate;
            samples = Arrays.copyOfRange(samples, (int) drop * channels, samples.length);
            pts += drop * 1_000_000 / rate;
            frames -= (int) drop;
        }
        if (samples.length == 0) {
            return;
        }
        audioChunks++;
        audioEndMicros = Math.max(audioEndMicros, pts + frames * 1_000_000L / rate);
        pending.add(new MediaItem.Audio(new AudioChunk(pts, rate, channels, samples)));
    }

    private void finish() {
        if (ended) {
            return;
        }
        ended = true;
        // audio-only tail with no picture ever: give it an origin so nothing is lost before we fail below
        if (originMicros == Long.MIN_VALUE && !earlyAudio.isEmpty()) {
            originMicros = earlyAudio.peek().timestamp;
            while (!earlyAudio.isEmpty()) {
                emitAudio(earlyAudio.poll());
            }
        }
        checkReadError();
        if (nextIndex == 0) {
            pending.clear();
            throw new VideoInputException(Reason.CORRUPT, source,
                    "no video frame could be decoded (file truncated or damaged)"
                            + (warning != null ? "; " + warning : ""));
        }
        checkCompleteness();
        if (trimmedAudioMicros > 50_000) {
            log.info("{}: {} ms of audio before the first picture left out", source, trimmedAudioMicros / 1000);
        }
        log.info("{}: end of stream after {} frames and {} audio chunks{}", source, nextIndex, audioChunks,
                truncated ? " (TRUNCATED: " + warning + ")" : "");
    }

    private void checkReadError() {
        AVFormatContext oc = grabber.getFormatContext();
        if (oc == null || oc.isNull()) {
            return;
        }
        AVIOContext pb = oc.pb();
        if (pb != null && !pb.isNull() && pb.error() < 0 && pb.error() != avutil.AVERROR_EOF) {
            markTruncated("read error after " + nextIndex + " frames: " + errorText(pb.error()));
        }
    }

    private void checkCompleteness() {
        double fps = info.frameRate() > 0 ? info.frameRate() : 25;
        long interval = lastVideoTs != Long.MIN_VALUE && prevVideoTs != Long.MIN_VALUE && lastVideoTs > prevVideoTs
                ? lastVideoTs - prevVideoTs : Math.round(1e6 / fps);
        long videoEnd = lastVideoTs - originMicros + interval;
        long end = Math.max(videoEnd, audioEndMicros);
        long tolerance = Math.max(2 * interval, 500_000L);
        if (announcedFrames > 0 && nextIndex < announcedFrames - Math.max(2, announcedFrames / 100)) {
            markTruncated("stream ended after " + nextIndex + " of " + announcedFrames + " frames");
        } else if (expectedVideoMicros > 0 && videoEnd < expectedVideoMicros - tolerance) {
            markTruncated(String.format(Locale.ROOT, "video ended at %.2f s of %.2f s (%d frames)",
                    videoEnd / 1e6, expectedVideoMicros / 1e6, nextIndex));
        } else if (expectedVideoMicros <= 0 && info.durationMicros() > 0 && end < info.durationMicros() - tolerance) {
            markTruncated(String.format(Locale.ROOT, "stream ended at %.2f s of %.2f s (%d frames)",
                    end / 1e6, info.durationMicros() / 1e6, nextIndex));
        }
    }

    private void markTruncated(String why) {
        if (!truncated) {
            truncated = true;
            warning = why;
            log.warn("{}: {}", source, why);
        }
    }

    private static RgbImage copyPixels(Frame f) {
        int w = f.imageWidth;
        int h = f.imageHeight;
        int row = w * 3;
        byte[] px = new byte[row * h];
        ByteBuffer buf = (ByteBuffer) f.image[0];
        int stride = f.imageStride > 0 ? f.imageStride : row;
        if (stride == row) {
            buf.get(0, px, 0, px.length);
        } else {
            for (int y = 0; y < h; y++) {
                buf.get(y * stride, px, y * row, row);
            }
        }
        return new RgbImage(w, h, px);
    }

    private static short[] copySamples(Frame f) {
        ShortBuffer buf = (ShortBuffer) f.samples[0];
        short[] out = new short[buf.limit() - buf.position()]; // S16 packed: one interleaved plane
        buf.get(buf.position(), out, 0, out.length);
        return out;
    }

    // ---------------------------------------------------------------- opening

    /** Where to read from: a checked local file or a network URL. */
    private record Target(String given, String ffmpegUrl, Path file, String scheme) {

        static Target of(String given) {
            String lower = given.toLowerCase(Locale.ROOT);
            int colon = lower.indexOf("://");
            if (lower.startsWith("file:")) {
                Path p;
                try {
                    p = Path.of(URI.create(given));
                } catch (IllegalArgumentException e) {
                    throw new VideoInputException(Reason.MISSING, given, "not a valid file URL");
                }
                return local(given, p);
            }
            if (colon > 0 && lower.substring(0, colon).matches("[a-z][a-z0-9+.-]*")) {
                String scheme = lower.substring(0, colon);
                if (!NETWORK_SCHEMES.contains(scheme)) {
                    throw new VideoInputException(Reason.UNSUPPORTED_PROTOCOL, given, "unsupported URL scheme '"
                            + scheme + "' (use a file path or one of " + String.join(", ", new java.util.TreeSet<>(NETWORK_SCHEMES)) + ")");
                }
                return new Target(given, given, null, scheme);
            }
            return local(given, Path.of(given));
        }

        private static Target local(String given, Path p) {
            Path abs = p.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                throw new VideoInputException(Reason.MISSING, given, "no such file");
            }
            if (Files.isDirectory(abs)) {
                throw new VideoInputException(Reason.UNREADABLE, given, "is a directory, not a video file");
            }
            if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) {
                throw new VideoInputException(Reason.UNREADABLE, given, "not a readable regular file");
            }
            try {
                if (Files.size(abs) == 0) {
                    throw new VideoInputException(Reason.EMPTY, given, "file is empty (0 bytes)");
                }
            } catch (IOException e) {
                throw new VideoInputException(Reason.UNREADABLE, given, "cannot read file: " + e.getMessage(), e);
            }
            // "file:" prefix so a path with a colon is not taken for a protocol
            return new Target(given, "file:" + abs, abs, "file");
        }

        boolean network() {
            return file == null;
        }
    }

    private static Map<String, String> ffmpegOptions(Target target, VideoSourceOptions options) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("format_whitelist", options.formatWhitelist());
        if (target.network()) {
            String micros = Long.toString(options.networkTimeout().toNanos() / 1000);
            o.put("protocol_whitelist", NETWORK_PROTOCOLS);
            o.put("rw_timeout", micros);
            // "timeout" means socket I/O timeout for these; for rtmp it would mean "listen", so not there
            if (Set.of("http", "https", "rtsp", "rtsps").contains(target.scheme)) {
                o.put("timeout", micros);
            }
            if (target.scheme.startsWith("http")) {
                o.put("reconnect", "0");
            }
        } else {
            o.put("protocol_whitelist", "file");
        }
        return o;
    }

    /** What the plain libavformat probe found out, before JavaCV allocates anything. */
    private record Probe(long durationMicros, long videoDurationMicros, long frameCount, double frameRate,
                         int videoIndex, int audioIndex) {
    }

    /**
     * Deadline for the probe of a network source: rw_timeout only catches a silent peer, not one that trickles
     * bytes. One static callback (JavaCPP callbacks are a scarce native resource), per-thread deadlines.
     */
    private static final ThreadLocal<long[]> PROBE_DEADLINE = ThreadLocal.withInitial(() -> new long[] {0});
    private static final AVIOInterruptCB.Callback_Pointer PROBE_INTERRUPT = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            long deadline = PROBE_DEADLINE.get()[0];
            return deadline != 0 && System.nanoTime() - deadline > 0 ? 1 : 0;
        }
    };

    private static Probe probe(Target target, Map<String, String> ffOptions, VideoSourceOptions options) {
        long[] deadline = PROBE_DEADLINE.get();
        deadline[0] = target.network() ? System.nanoTime() + 3 * options.networkTimeout().toNanos() : 0;
        try {
            return probeUnsafe(target, ffOptions, options);
        } finally {
            deadline[0] = 0;
        }
    }

    private static Probe probeUnsafe(Target target, Map<String, String> ffOptions, VideoSourceOptions options) {
        String src = target.given;
        AVFormatContext ctx = avformat_alloc_context();
        if (target.network()) {
            ctx.interrupt_callback().callback(PROBE_INTERRUPT);
        }
        AVDictionary dict = new AVDictionary(null);
        ffOptions.forEach((k, v) -> av_dict_set(dict, k, v, 0));
        int ret;
        try {
            ret = avformat_open_input(ctx, target.ffmpegUrl, null, dict); // frees ctx on failure
        } finally {
            av_dict_free(dict);
        }
        if (ret < 0) {
            throw openError(target, ret, options);
        }
        try {
            ret = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
            if (ret < 0) {
                throw new VideoInputException(isTimeout(ret) ? Reason.TIMEOUT : Reason.CORRUPT, src,
                        "cannot read stream information (" + (ret == avutil.AVERROR_EXIT ? "timed out"
                                : errorText(ret)) + ")");
            }
            String format = ctx.iformat() != null ? ctx.iformat().name().getString() : "?";
            AVStream video = null;
            int videoIndex = -1;
            int audioIndex = -1;
            boolean audio = false;
            for (int i = 0; i < ctx.nb_streams(); i++) {
                AVStream st = ctx.streams(i);
                AVCodecParameters par = st.codecpar();
                if (par.codec_type() == AVMEDIA_TYPE_AUDIO) {
                    audio = true;
                    if (audioIndex < 0 && par.sample_rate() > 0 && avcodec_find_decoder(par.codec_id()) != null) {
                        audioIndex = i;
                    }
                }
                if (par.codec_type() != AVMEDIA_TYPE_VIDEO
                        || (st.disposition() & avformat.AV_DISPOSITION_ATTACHED_PIC) != 0) {
                    continue;
                }
                // bound every picture stream before JavaCV allocates an RGB buffer for one of them
                checkDimensions(src, par.width(), par.height(), options);
                if (avcodec_find_decoder(par.codec_id()) == null) {
                    throw new VideoInputException(Reason.UNSUPPORTED_CODEC, src, "video codec '"
                            + avcodec_get_name(par.codec_id()).getString() + "' cannot be decoded by this FFmpeg build");
                }
                if (video == null) {
                    video = st;
                    videoIndex = i;
                }
            }
            if (video == null) {
                throw new VideoInputException(Reason.NO_VIDEO_STREAM, src, "the " + format + " container has "
                        + (audio ? "audio but no video stream" : "no video stream"));
            }
            long duration = ctx.duration() != AV_NOPTS_VALUE && ctx.duration() > 0 ? ctx.duration() : -1;
            long videoDuration = video.duration() != AV_NOPTS_VALUE && video.duration() > 0
                    ? micros(video.duration(), video.time_base()) : -1;
            if (duration < 0) {
                duration = videoDuration;
            }
            AVRational r = video.avg_frame_rate();
            if (r.num() <= 0 || r.den() <= 0) {
                r = video.r_frame_rate();
            }
            double fps = r.num() > 0 && r.den() > 0 ? (double) r.num() / r.den() : 0;
            if (audio && audioIndex < 0 && options.includeAudio()) {
                log.warn("{}: the audio stream cannot be decoded by this FFmpeg build; continuing without audio", src);
            }
            return new Probe(duration, videoDuration, video.nb_frames() > 0 ? video.nb_frames() : -1, fps,
                    videoIndex, audioIndex);
        } finally {
            avformat_close_input(ctx);
        }
    }

    private static VideoInputException openError(Target target, int ret, VideoSourceOptions options) {
        String src = target.given;
        // EINVAL here means a demuxer recognised the bytes but is not on format_whitelist
        String ff = ret == AVERROR_EINVAL ? "format not on the allowed list" : errorText(ret);
        if (isTimeout(ret)) {
            return new VideoInputException(Reason.TIMEOUT, src, "no answer within "
                    + options.networkTimeout().toSeconds() + " s (" + (ret == avutil.AVERROR_EXIT ? "too slow"
                    : ff) + ")");
        }
        if (target.network()) {
            Reason reason = ret == avutil.AVERROR_INVALIDDATA ? Reason.NOT_VIDEO : Reason.IO;
            return new VideoInputException(reason, src, "cannot open stream (" + ff + ")");
        }
        String kind = sniffContainer(target.file);
        if (kind != null) {
            return new VideoInputException(Reason.CORRUPT, src, "looks like " + kind
                    + " but cannot be read: the file is truncated or damaged (" + ff + ")");
        }
        return new VideoInputException(Reason.NOT_VIDEO, src,
                "not a video file, or a container format that is not supported (" + ff + ")");
    }

    private static boolean isTimeout(int ret) {
        return ret == AVERROR_ETIMEDOUT || ret == avutil.AVERROR_EXIT;
    }

    /** Recognises the common containers by their magic bytes, to tell "damaged video" from "not video". */
    static String sniffContainer(Path file) {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return null;
        }
        if (n >= 8 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
            return "an MP4/MOV file";
        }
        if (n >= 4 && (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xdf
                && (head[3] & 0xff) == 0xa3) {
            return "a Matroska/WebM file";
        }
        if (n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'A' && head[9] == 'V' && head[10] == 'I') {
            return "an AVI file";
        }
        if (n >= 3 && head[0] == 'F' && head[1] == 'L' && head[2] == 'V') {
            return "an FLV file";
        }
        return null;
    }

    static void checkDimensions(String src, int w, int h, VideoSourceOptions options) {
        if (w < 1 || h < 1) {
            // FFmpeg zeroes sizes it cannot use itself (e.g. > ~16k x 16k), and a cut file may never reveal one
            throw new VideoInputException(Reason.CORRUPT, src, "video stream has no usable picture size (" + w + "x"
                    + h + "): the file is truncated or its header is damaged or absurd");
        }
        if (w > options.maxWidth() || h > options.maxHeight()) {
            throw new VideoInputException(Reason.BAD_DIMENSIONS, src, "picture size " + w + "x" + h
                    + " is beyond the " + options.maxWidth() + "x" + options.maxHeight() + " limit");
        }
    }

    private static long micros(long ts, AVRational tb) {
        return Math.round(ts * 1e6 * tb.num() / tb.den());
    }

    static String errorText(int err) {
        byte[] buf = new byte[256];
        if (av_strerror(err, buf, buf.length) < 0) {
            return "FFmpeg error " + err;
        }
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception | Error e) {
            log.debug("closing grabber", e);
        }
    }
}
