package dev.leakdx.extract;

/** Turns the lines of one section (one crash command's output, or one file) into facts. */
public interface SectionReader {
    void line(long lineNo, String text);

    /** Called once after the section's last line, also when the file was cut short. */
    void end(long lastLine);
}
