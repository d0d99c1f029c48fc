package io.cairn.storage;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Releases a memory mapping at once instead of when the garbage collector gets to it, so the disk
 * blocks of a deleted segment are freed promptly. Uses {@code sun.misc.Unsafe.invokeCleaner}
 * (module {@code jdk.unsupported}) through reflection; where that is unavailable it does nothing
 * and the collector unmaps later.
 *
 * <p>Only for mappings no thread can touch any more: storage unmaps a removed segment's mappings
 * after {@code file.delete.delay.ms}, long after the last lookup that could have used them.
 */
final class MappedBuffers {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            cleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            cleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private MappedBuffers() {
    }

    static void unmap(ByteBuffer mapping) {
        if (mapping == null || !mapping.isDirect() || INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, mapping);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Left to the garbage collector.
        }
    }
}
