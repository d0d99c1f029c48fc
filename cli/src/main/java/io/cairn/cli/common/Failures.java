package io.cairn.cli.common;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns exceptions into the one-line reasons the CLI prints. Stateless. */
public final class Failures {
    private Failures() {
    }

    /** The exception that says what happened, beneath the wrappers futures add. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The reason as one line: the root message, or the exception's type when it has none. */
    public static String reason(Throwable e) {
        Throwable t = unwrap(e);
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = t.getCause();
            message = cause != null && cause != t ? reason(cause) : t.getClass().getSimpleName();
        }
        return oneLine(message);
    }

    /** {@code text} with its line breaks folded into "; ". */
    public static String oneLine(String text) {
        return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
