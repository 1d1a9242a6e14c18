/**
 * Encoding: {@link dev.lapstream.sink.VideoWriter} writes frames and audio as H.264 (OpenH264, yuv420p,
 * constant quality or a bitrate) + AAC into MP4 / MPEG-TS / Matroska files, or fragmented MP4 / MPEG-TS on an
 * {@link java.io.OutputStream} for publishing segments; {@code StreamSink} feeds it from Kafka.
 *
 * <p>Why OpenH264: the LGPL FFmpeg build (the project's default) has no libx264; its encoders are libopenh264,
 * mpeg4, libvpx-vp9, libaom-av1, libsvtav1 and aac. OpenH264 gives H.264 that every player and browser takes
 * and encodes 768x576 at about 120 fps here. Its "quality" rate-control mode bounded to a narrow QP band is
 * the constant-quality setting (CRF-like); unlike bitrate mode it does not depend on the frame rate.
 */
package dev.lapstream.sink;
