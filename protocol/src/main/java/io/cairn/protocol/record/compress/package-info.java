/**
 * Compression codecs for record batches: the stream framings Kafka writes for gzip, snappy
 * (xerial framed), lz4 (frame format) and zstd, plus a bounded, reusable decompression buffer so
 * a hostile batch cannot make the reader allocate without limit.
 */
package io.cairn.protocol.record.compress;
