/** Wire frames, request and response types, error codes and the record-batch format. */
package io.cairn.protocol;
