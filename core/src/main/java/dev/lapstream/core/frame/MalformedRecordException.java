package dev.lapstream.core.frame;

/** A record that is not a valid lapstream frame record; the message is the reason sent to the dead-letter topic. */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String reason) {
        super(reason);
    }
}
