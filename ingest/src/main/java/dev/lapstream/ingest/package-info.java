/**
 * Decoding: {@link dev.lapstream.ingest.VideoSource} turns a file or a network URL into
 * {@link dev.lapstream.core.frame.VideoFrame}s and {@link dev.lapstream.core.frame.AudioChunk}s with JavaCV/FFmpeg.
 *
 * <p>Bad input policy ("a clear error, nothing lost, no crash, no hang"):
 * <ul>
 *   <li>at {@code open}: missing / empty / unreadable files, bytes no whitelisted demuxer accepts (random data,
 *       text, images), containers without video, codecs without a decoder, picture sizes outside the bounds
 *       (8192x8192 by default, checked by a libavformat probe before JavaCV allocates a frame buffer), MP4s whose
 *       index is cut off, unsupported URL schemes, network sources that do not answer within the timeout:
 *       a {@link dev.lapstream.ingest.VideoInputException} with a one-line message and a
 *       {@link dev.lapstream.ingest.VideoInputException.Reason}.</li>
 *   <li>while pulling: a stream that ends early (truncated file, dropped connection, decoder failure) yields
 *       every frame that decodes, then ends; {@code truncated()} and {@code warning()} say what was missing
 *       (compared with the frame count or duration the container announced). Only when not one frame decodes
 *       does {@code next()} throw.</li>
 * </ul>
 * Network sources are opened twice (probe, then decode), get FFmpeg's {@code rw_timeout} (and {@code timeout}
 * for http/rtsp), and may not use the {@code file} protocol.
 *
 * <p>{@code FrameProducer} publishes a source to Kafka.
 */
package dev.lapstream.ingest;
