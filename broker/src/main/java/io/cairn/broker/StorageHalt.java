package io.cairn.broker;

import io.cairn.storage.LogManager;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Abandons a {@link LogManager} as a killed process would: stops its threads and releases the
 * data directory lock without flushing, checkpointing or writing {@code .clean-shutdown}, so the
 * next open runs recovery. Used only by {@link Broker#halt()} (crash tests).
 *
 * <p>Storage offers this step to its own tests only ({@code abandonForTest}, package-private);
 * until it offers a public one ({@code halt()}), it is reached by reflection. Stateless.
 */
final class StorageHalt {
    private static final Logger log = LoggerFactory.getLogger(StorageHalt.class);

    private StorageHalt() {
    }

    static void halt(LogManager logs) {
        for (String name : new String[] {"halt", "abandonForTest"}) {
            try {
                Method method = LogManager.class.getDeclaredMethod(name);
                method.setAccessible(true);
                method.invoke(logs);
                return;
            } catch (NoSuchMethodException e) {
                // try the next name
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot abandon the log manager of " + logs.dataDir() + ": " + e, e);
            }
        }
        log.warn("storage offers no way to abandon {} without a clean shutdown; closing it cleanly instead", logs.dataDir());
        logs.close();
    }
}
