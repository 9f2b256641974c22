package dev.leakdx.extract;

import dev.leakdx.facts.RawMemory;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads memory dumps: gdb's {@code x/NxU ADDR} as crash passes it through
 * ({@code 0xffff000061fa9ef0:\t0xffff7fee5b008000\t0x0000ffff00000042}, optionally with a
 * {@code <symbol+off>} label) and crash's own {@code rd} ({@code ffff...:  ffff... ffff...  ascii}).
 * Contiguous lines become one {@link RawMemory}; the unit comes from the command (g=8, w=4,
 * h=2, b=1; rd -8/-16/-32/-64), defaulting to 8.
 */
final class RawMemoryReader implements SectionReader {
    private static final Pattern LINE = Pattern.compile("^\\s*(?:0x)?([0-9a-fA-F]{8,16})(?:\\s*<[^>]*>)?:\\s+(.*)$");
    private static final Pattern WORD = Pattern.compile("^(?:0x)?([0-9a-fA-F]+)$");

    private final Section section;
    private final Sink sink;
    private final int unit;
    private boolean open;
    private long start, next, first;
    private final List<Long> words = new ArrayList<>();

    RawMemoryReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
        this.unit = unitOf(section.baseCommand());
    }

    static int unitOf(String cmd) {
        Matcher m = Pattern.compile("^x/\\d*[xduot]?([bhwg])").matcher(cmd);
        if (m.find()) return switch (m.group(1)) { case "b" -> 1; case "h" -> 2; case "w" -> 4; default -> 8; };
        if (cmd.contains("-8")) return 1;
        if (cmd.contains("-16")) return 2;
        if (cmd.contains("-32")) return 4;
        return 8;
    }

    @Override public void line(long no, String text) {
        Matcher m = LINE.matcher(text);
        if (!m.matches()) {
            if (!text.isBlank()) sink.skipped(section.file(), no, text);
            return;
        }
        long addr;
        try {
            addr = Units.parseHex(m.group(1));
        } catch (NumberFormatException e) { // more than 64 bits of address: not a line of this command (found by the fuzz harness)
            sink.skipped(section.file(), no, text);
            return;
        }
        if (open && addr != next) flush(no - 1);
        if (!open) { open = true; start = addr; next = addr; first = no; }
        // gdb x/x and crash rd print 16 bytes a line: what follows (rd's ASCII column) is not a word,
        // even when it happens to look like one ("0000000000000000")
        int perLine = Math.max(1, 16 / unit), taken = 0;
        for (String t : m.group(2).trim().split("\\s+")) {
            if (taken++ == perLine) break;
            Matcher w = WORD.matcher(t);
            if (!w.matches() || t.length() < 2 * unit && !t.startsWith("0x")) break; // ascii column of rd
            long word;
            try {
                word = Units.parseHex(w.group(1));
            } catch (NumberFormatException e) {
                break; // a "word" wider than 64 bits is the ASCII column, not memory (found by the fuzz harness)
            }
            words.add(word);
            next += unit;
        }
        last = no;
    }

    private long last;

    private void flush(long lastLine) {
        if (open && !words.isEmpty())
            sink.fact(new RawMemory(start, unit, List.copyOf(words), section.span(first, Math.max(first, last))));
        words.clear();
        open = false;
    }

    @Override public void end(long lastLine) { flush(lastLine); }
}
