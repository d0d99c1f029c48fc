package io.cairn.client.errors;

/** A key or value could not be turned into bytes, or bytes into a key or value. */
public class SerializationException extends CairnException {
    /** Creates the exception; the message names the topic and what failed. */
    public SerializationException(String message) {
        super(message);
    }

    /** Creates the exception with the serializer's own failure. */
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
