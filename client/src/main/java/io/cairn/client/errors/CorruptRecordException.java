package io.cairn.client.errors;

/**
 * A fetched batch failed its CRC32C check or does not parse. The message names the topic, partition,
 * offset and the checksums found and expected; the consumer does not skip past it on its own.
 */
public class CorruptRecordException extends CairnException {
    /** Creates the exception naming where the damage was found. */
    public CorruptRecordException(String message) {
        super(message);
    }

    /** Creates the exception with the parser's own failure. */
    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
