package dev.lapstream.core.frame;

/**
 * Decoded audio passed through untouched: interleaved signed 16-bit PCM.
 *
 * @param ptsMicros  presentation time of the first sample, microseconds from stream start
 * @param sampleRate samples per second per channel
 * @param channels   number of interleaved channels
 * @param samples    interleaved samples, length a multiple of {@code channels}
 */
public record AudioChunk(long ptsMicros, int sampleRate, int channels, short[] samples) {

    public AudioChunk {
        if (sampleRate <= 0 || channels <= 0 || samples.length % channels != 0) {
            throw new IllegalArgumentException("bad audio chunk: rate " + sampleRate + ", channels " + channels
                    + ", " + samples.length + " samples");
        }
    }
}
