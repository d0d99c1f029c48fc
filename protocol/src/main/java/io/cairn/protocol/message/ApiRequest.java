package io.cairn.protocol.message;

/** The body of a request. */
public interface ApiRequest extends ApiMessage {
}
