package dev.lapstream.core.spec;

/** A scale, size or stream spec that cannot be served; the message says why in one line. */
public class InvalidSpecException extends IllegalArgumentException {

    public InvalidSpecException(String message) {
        super(message);
    }
}
