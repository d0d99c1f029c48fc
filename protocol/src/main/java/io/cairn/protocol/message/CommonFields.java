package io.cairn.protocol.message;

import io.cairn.protocol.types.Field;
import io.cairn.protocol.types.Types;

/** Fields that recur across schemas, documented once. */
final class CommonFields {
    /** The first field of every response body. */
    static final Field ERROR_CODE = Field.of("errorCode", Types.INT16,
            "Request-level error code, 0 (NONE) if the request as a whole was handled. When not 0 the rest "
                    + "of the body may be absent (error-only form) and decodes to defaults.");
    /** The second field of every response body. */
    static final Field ERROR_MESSAGE = Field.of("errorMessage", Types.NULLABLE_STRING,
            "Request-level error message, or null.");
    /** A per-item error code. */
    static final Field ITEM_ERROR_CODE = Field.of("errorCode", Types.INT16, "Error code for this item, 0 (NONE) on success.");
    /** A per-item error message. */
    static final Field ITEM_ERROR_MESSAGE = Field.of("errorMessage", Types.NULLABLE_STRING, "Error message for this item, or null.");
    static final Field TOPIC_NAME = Field.of("name", Types.STRING, "The topic name.");
    static final Field PARTITION_INDEX = Field.of("partitionIndex", Types.INT32, "The partition number, from 0.");
    static final Field TIMEOUT_MS = Field.of("timeoutMs", Types.INT32,
            "How long the broker may take to finish the operation before answering REQUEST_TIMED_OUT.");
    static final Field VALIDATE_ONLY = Field.of("validateOnly", Types.BOOL,
            "If true, validate the request and report what would happen, without changing anything.");

    private CommonFields() {
    }
}
