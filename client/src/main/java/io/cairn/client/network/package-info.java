/**
 * The connection layer shared by all clients: {@link io.cairn.client.network.NetworkClient} keeps one
 * Netty channel per broker, pipelines requests matched by correlation id, bounds each with a deadline
 * and reconnects with backoff. Not an application API.
 */
package io.cairn.client.network;
