package io.cairn.protocol.message;

import io.cairn.protocol.wire.ApiKey;

/** A request or response body of one API; every message class is an immutable Java record. */
public interface ApiMessage {
    /** The API this message belongs to. */
    ApiKey apiKey();
}
