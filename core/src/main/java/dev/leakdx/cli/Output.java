package dev.leakdx.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a report goes and in which format: {@code -o -} is standard output; without
 * {@code --format}, the extension of {@code -o} chooses (.json, .md, .html; anything else is
 * text); a path that cannot be written is an error naming the path and the reason.
 */
final class Output {
    static final String FORMATS = "text, md, json or html";

    private Output() {}

    static boolean isStdout(Path output) {
        return output == null || output.toString().equals("-");
    }

    /** The format asked for, or the one the output file's extension implies, or text. */
    static String format(String asked, Path output) {
        if (asked != null) {
            String f = asked.toLowerCase(Locale.ROOT);
            if (f.equals("markdown")) f = "md";
            if (!f.matches("text|md|json|html"))
                throw new IllegalArgumentException("unknown format '" + asked + "': use " + FORMATS);
            return f;
        }
        if (isStdout(output)) return "text";
        String name = output.getFileName() == null ? "" : output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json") || name.endsWith(".jsonl")) return "json";
        if (name.endsWith(".md") || name.endsWith(".markdown")) return "md";
        if (name.endsWith(".html") || name.endsWith(".htm")) return "html";
        return "text";
    }

    static void write(String text, Path output) {
        if (isStdout(output)) {
            System.out.print(text);
            System.out.flush();
            return;
        }
        try {
            if (output.toAbsolutePath().getParent() != null) Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, text);
        } catch (IOException e) {
            throw new IllegalArgumentException(cannotWrite(output, e));
        }
    }

    /** Standard output (System.out, so tests and callers that replace it see the text), left open when the writer closes. */
    static java.io.OutputStream stdout() {
        return new java.io.FilterOutputStream(System.out) {
            @Override public void write(byte[] b, int off, int len) { System.out.write(b, off, len); }
            @Override public void close() { System.out.flush(); }
        };
    }

    /** A stream to write {@code output}, or an error that names it and says why not. */
    static java.io.OutputStream open(Path output) {
        try {
            if (output.toAbsolutePath().getParent() != null) Files.createDirectories(output.toAbsolutePath().getParent());
            return Files.newOutputStream(output);
        } catch (IOException e) {
            throw new IllegalArgumentException(cannotWrite(output, e));
        }
    }

    /** "cannot write PATH: why", in words. */
    static String cannotWrite(Path output, IOException e) {
        String why;
        if (e instanceof AccessDeniedException a) why = "permission denied" + (a.getFile() != null && !a.getFile().equals(output.toString()) ? " on " + a.getFile() : "");
        else if (e instanceof NoSuchFileException) {
            Path parent = output.toAbsolutePath().getParent();
            why = parent != null && Files.isDirectory(parent) ? "the folder " + parent + " does not take new files" : "no such folder";
        }
        else if (e instanceof java.nio.file.FileAlreadyExistsException f) why = (f.getFile() == null ? "a path" : f.getFile()) + " exists and is not a folder";
        else if (e instanceof FileSystemException f && f.getReason() != null) why = f.getReason().toLowerCase(Locale.ROOT);
        else why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (Files.isDirectory(output)) why = "it is a folder";
        for (Path p = output.toAbsolutePath().getParent(); p != null; p = p.getParent())
            if (Files.exists(p) && !Files.isDirectory(p)) { why = p + " is a file, not a folder"; break; }
        return "cannot write the report to " + output + ": " + why;
    }
}
