package io.cairn.storage;

/**
 * An offset together with where it falls in the files: the segment holding the batch boundary at
 * that offset and the byte position of that boundary. Published through volatile fields for the
 * end offset and high watermark, so a reader bounds a slice without any lookup.
 *
 * @param offset            the offset
 * @param segmentBaseOffset base offset of the segment in which {@code offset} would start
 * @param position          byte position in that segment at which {@code offset}'s batch starts
 */
record LogOffsetMetadata(long offset, long segmentBaseOffset, int position) {
}
