package dev.leakdx.facts;

/**
 * A section of a capture: one crash command's output, or one /proc file. {@code format}
 * is the extractor that read it, or "unknown". Rules use these to know what was captured
 * (and so what to ask for next); the report lists the unknown ones.
 */
public record CommandRun(String command, String format, long lines, Provenance provenance) implements Fact {
    @Override public String describe() {
        return (command.isEmpty() ? provenance.file() : "crash> " + command) + " (" + format + ", " + lines + " lines)";
    }
}
