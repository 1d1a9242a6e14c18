package dev.lapstream.media;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes FFmpeg's native log (normally raw stderr) to the SLF4J logger {@code ffmpeg}. Only errors by default:
 * {@code -Dlapstream.ffmpeg.loglevel=N} (an {@code AV_LOG_*} number, e.g. 32 for info) asks for more. FFmpeg
 * errors become WARN: the exception or truncation warning of the caller is the verdict, these are details.
 */
public final class FfmpegLog {

    private static final Logger LOG = LoggerFactory.getLogger("ffmpeg");
    private static LogCallback callback; // referenced for the life of the JVM: native code calls it
    private static volatile int level = avutil.AV_LOG_ERROR;

    private FfmpegLog() {
    }

    /** Installs the callback once; every class that opens FFmpeg calls this first. */
    public static synchronized void init() {
        if (callback != null) {
            return;
        }
        String prop = System.getProperty("lapstream.ffmpeg.loglevel");
        if (prop != null) {
            try {
                level = Integer.parseInt(prop.trim());
            } catch (NumberFormatException ignored) {
                // keep the default
            }
        }
        avutil.av_log_set_level(level);
        callback = new LogCallback() {
            @Override
            public void call(int msgLevel, BytePointer msg) {
                if (msgLevel > level) {
                    return;
                }
                String line = msg.getString().strip();
                if (line.isEmpty()) {
                    return;
                }
                if (msgLevel <= avutil.AV_LOG_ERROR) {
                    LOG.warn(line);
                } else if (msgLevel <= avutil.AV_LOG_INFO) {
                    LOG.info(line);
                } else {
                    LOG.debug(line);
                }
            }
        };
        avutil.setLogCallback(callback);
    }
}
