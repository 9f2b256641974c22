package dev.leakdx.extract;

/** Turns the lines of one section (one crash command's output, or one file) into facts. */
public interface SectionReader {
    void line(long lineNo, String text);

    /**
     * Whether this reader would take the line (outside crash transcripts, a line it would not take
     * and that starts another known format ends the section: outputs pasted one after another
     * without prompts). Readers that take any line say yes.
     */
    default boolean accepts(String text) { return true; }

    /** Called once after the section's last line, also when the file was cut short. */
    void end(long lastLine);
}
