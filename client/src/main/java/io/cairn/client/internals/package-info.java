/** Cluster metadata and small concurrency helpers shared by the clients. Not an application API. */
package io.cairn.client.internals;
