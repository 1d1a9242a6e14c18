package dev.lapstream.ingest;

/**
 * Input that cannot be decoded. The message is one line meant for the user (it names the source and
 * the problem); {@link #reason()} lets callers map it to an exit code or a dead-letter reason header.
 * Unchecked so the pull loop can be driven from lambdas and Kafka callbacks.
 */
public class VideoInputException extends RuntimeException {

    /** What is wrong with the input. */
    public enum Reason {
        /** the path does not exist */
        MISSING,
        /** the file has zero bytes */
        EMPTY,
        /** a directory, device or unreadable file */
        UNREADABLE,
        /** no allowed demuxer recognises the bytes (random data, text, images, unknown container) */
        NOT_VIDEO,
        /** a URL scheme or protocol this reader does not open */
        UNSUPPORTED_PROTOCOL,
        /** the container opened but holds no video stream */
        NO_VIDEO_STREAM,
        /** the video codec has no decoder in this FFmpeg build */
        UNSUPPORTED_CODEC,
        /** the stream claims a width or height outside the configured bounds */
        BAD_DIMENSIONS,
        /** the container is recognised but damaged or cut short before any frame could be read */
        CORRUPT,
        /** a network source did not answer in time */
        TIMEOUT,
        /** any other FFmpeg failure */
        IO
    }

    private final Reason reason;
    private final String source;

    public VideoInputException(Reason reason, String source, String message) {
        this(reason, source, message, null);
    }

    public VideoInputException(Reason reason, String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.reason = reason;
        this.source = source;
    }

    public Reason reason() {
        return reason;
    }

    /** The path or URL that failed, as given. */
    public String source() {
        return source;
    }
}
