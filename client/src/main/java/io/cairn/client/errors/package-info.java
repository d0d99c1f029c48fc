/**
 * Exceptions of the Cairn client. Everything extends {@link io.cairn.client.errors.CairnException};
 * failures that may pass on their own extend {@link io.cairn.client.errors.RetriableException};
 * errors reported by the broker are {@link io.cairn.client.errors.BrokerException}s named by the
 * broker's error code.
 */
package io.cairn.client.errors;
