package dev.leakdx.extract;

/** A problem with the input, reported to the user with file:line; never an exception. */
public record Diagnostic(String file, long line, String level, String message) {
    public String cite() { return line > 0 ? file + ":" + line : file; }

    @Override public String toString() { return cite() + ": " + level + ": " + message; }
}
