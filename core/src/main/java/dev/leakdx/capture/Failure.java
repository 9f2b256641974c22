package dev.leakdx.capture;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns a failure into the one line a user reads: what, where and why, never a bare path
 * ({@code /x: permission denied}, not {@code /x}), never a raw {@code For input string}, and an
 * OutOfMemoryError said as such with what to do about it.
 */
public final class Failure {
    private Failure() {}

    /** The cause in words, with the path when the exception carries one. */
    public static String describe(Throwable e) {
        e = unwrap(e);
        if (e instanceof FileSystemException fs && fs.getFile() != null) return fs.getFile() + ": " + reason(e);
        return reason(e);
    }

    /** The cause in words, without the path. */
    public static String reason(Throwable e) {
        e = unwrap(e);
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file or folder";
        if (e instanceof NotDirectoryException) return "not a folder";
        if (e instanceof FileSystemException fs) {
            String r = fs.getReason();
            return r == null || r.isBlank() ? "cannot be read or written" : r.strip().toLowerCase(java.util.Locale.ROOT);
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + (e.getMessage() == null ? "heap" : e.getMessage())
                    + "; the JVM's heap is " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB: raise it with LEAKDX_JAVA_OPTS=-Xmx4g, or lower the limits of knowledge-base-docs/reliability.md)";
        }
        if (e instanceof StackOverflowError) return "stack overflow (input nested too deeply)";
        if (e instanceof NumberFormatException n) {
            String m = n.getMessage() == null ? "" : n.getMessage();
            if (m.startsWith("For input string: ")) return "not a number: " + m.substring("For input string: ".length());
            return m.isEmpty() ? "not a number" : m;
        }
        if (e instanceof ArithmeticException a) return "value out of range (" + a.getMessage() + ")";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The exception that says what went wrong, through the wrappers threads and futures add. */
    public static Throwable unwrap(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException || e instanceof UncheckedIOException
                || (e instanceof IllegalStateException && e.getCause() != null && (e.getMessage() == null || e.getMessage().equals(e.getCause().toString()))))
                && e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }

    /** True for a failure that is the JVM running out of something (heap, stack), not a fault of the input's text. */
    public static boolean isResource(Throwable e) {
        e = unwrap(e);
        return e instanceof OutOfMemoryError || e instanceof StackOverflowError;
    }
}
