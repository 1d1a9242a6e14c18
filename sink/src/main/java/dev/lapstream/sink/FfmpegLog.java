package dev.lapstream.sink;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * FFmpeg logs to stderr from native code. Keep it to errors unless {@code -Dlapstream.ffmpeg.loglevel=N}
 * (an {@code AV_LOG_*} number, e.g. 32 for info) asks for more.
 */
final class FfmpegLog {

    private static boolean done;

    private FfmpegLog() {
    }

    static synchronized void init() {
        if (done) {
            return;
        }
        done = true;
        int level = avutil.AV_LOG_ERROR;
        String prop = System.getProperty("lapstream.ffmpeg.loglevel");
        if (prop != null) {
            try {
                level = Integer.parseInt(prop.trim());
            } catch (NumberFormatException ignored) {
                // keep the default
            }
        }
        avutil.av_log_set_level(level);
    }
}
