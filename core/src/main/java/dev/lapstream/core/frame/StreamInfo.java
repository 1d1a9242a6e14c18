package dev.lapstream.core.frame;

/**
 * What a stream is, sent once before its first frame.
 *
 * @param width          picture width of the input
 * @param height         picture height of the input
 * @param frameRate      average frames per second (nominal for variable-frame-rate input)
 * @param durationMicros container duration, or -1 when unknown (live input)
 * @param frameCount     frames the container announces, or -1 when unknown
 * @param audioSampleRate audio samples per second, 0 when there is no audio
 * @param audioChannels  audio channels, 0 when there is no audio
 * @param source         where the stream came from (file path or URL), for logs
 */
public record StreamInfo(int width, int height, double frameRate, long durationMicros, long frameCount,
                         int audioSampleRate, int audioChannels, String source) {

    public boolean hasAudio() {
        return audioChannels > 0 && audioSampleRate > 0;
    }
}
