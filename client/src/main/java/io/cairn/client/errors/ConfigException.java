package io.cairn.client.errors;

/** A client setting is unknown, has the wrong type, is out of range, or contradicts another. */
public class ConfigException extends CairnException {
    /** Creates the exception; the message names the key and the value rejected. */
    public ConfigException(String message) {
        super(message);
    }
}
