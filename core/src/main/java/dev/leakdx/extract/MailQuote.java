package dev.leakdx.extract;

import java.util.regex.Pattern;

/**
 * Output quoted in a mail reply carries "> " (or "> > ", ">>") before every line. The table readers
 * of pasted command output take it off before they read a line, so a quoted table is read as the
 * table it is; the line numbers stay those of the file.
 */
final class MailQuote {
    private static final Pattern QUOTE = Pattern.compile("^(?:>[ \\t]?)+");

    private MailQuote() {}

    static String strip(String line) {
        return line.startsWith(">") ? QUOTE.matcher(line).replaceFirst("") : line;
    }
}
