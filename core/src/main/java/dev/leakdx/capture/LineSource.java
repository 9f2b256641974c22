package dev.leakdx.capture;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a capture file line by line with 1-based line numbers. CRLF and lone CR endings are
 * taken as line ends, invalid UTF-8 is replaced rather than fatal (captures pasted from
 * terminals carry odd bytes), and a last line cut without its newline is still a line.
 */
public final class LineSource implements Closeable {
    private final BufferedReader reader;
    private long lineNo;
    private long bytes;

    public LineSource(InputStream in) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
    }

    /** The next line without its terminator, or null at end of file. */
    public String next() throws IOException {
        String s = reader.readLine();
        if (s != null) {
            lineNo++;
            bytes += s.length() + 1;
        }
        return s;
    }

    public long lineNo() { return lineNo; }

    public long charsRead() { return bytes; }

    @Override public void close() throws IOException { reader.close(); }
}
