package io.cairn.cli.common;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging for the tool commands (everything but {@code cairn broker}): client log lines go to
 * standard error, at WARN (INFO with {@code --verbose}), so that standard output carries only the
 * command's own output and can be piped ({@code cairn consume ... | jq}). This is what Kafka's
 * tools do with their own log configuration. Does nothing when SLF4J is not bound to Logback.
 *
 * <p>Call it on the command's thread before the first client is built; it changes the
 * process-wide logging configuration.
 */
public final class ToolLogging {
    private ToolLogging() {
    }

    public static void configure(boolean verbose) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        Level level = verbose ? Level.INFO : Level.WARN;
        context.getLogger("io.cairn").setLevel(level);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> console
                    && !"System.err".equals(console.getTarget())) {
                console.stop();
                console.setTarget("System.err");
                console.start();
            }
        }
    }
}
