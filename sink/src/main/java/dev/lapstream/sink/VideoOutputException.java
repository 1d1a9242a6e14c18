package dev.lapstream.sink;

/** Encoding or writing failed. The message is one line naming the output and the problem. */
public class VideoOutputException extends RuntimeException {

    public VideoOutputException(String message) {
        super(message);
    }

    public VideoOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
