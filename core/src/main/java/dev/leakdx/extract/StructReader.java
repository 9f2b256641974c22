package dev.leakdx.extract;

import dev.leakdx.facts.KernelStruct;
import dev.leakdx.facts.Units;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads gdb-style struct dumps as crash prints them for {@code struct TYPE ADDR}: nested
 * named members ({@code lru = {}) add a path element, anonymous unions ({@code {}) do not;
 * values run to the end of the line less a trailing comma ({@code compound_dtor = 34 '"',}).
 * The address comes from the command; several blocks in one section become several facts.
 */
final class StructReader implements SectionReader {
    private static final Pattern OPEN_TOP = Pattern.compile("^\\s*(?:struct|union)\\s+([A-Za-z_]\\w*)\\s*\\{\\s*$");
    private static final Pattern OPEN_NAMED = Pattern.compile("^\\s*([A-Za-z_][\\w]*(?:\\[\\d+])?)\\s*=\\s*\\{\\s*$");
    private static final Pattern OPEN_ANON = Pattern.compile("^\\s*\\{\\s*$");
    private static final Pattern CLOSE = Pattern.compile("^\\s*},?\\s*$");
    private static final Pattern MEMBER = Pattern.compile("^\\s*([A-Za-z_][\\w]*(?:\\[\\d+])?)\\s*=\\s*(.*?),?\\s*$");
    private static final Pattern HEX_ADDR = Pattern.compile("^(?:0x)?[0-9a-fA-F]{8,16}$");

    private final Section section;
    private final Sink sink;
    private final Deque<String> path = new ArrayDeque<>();
    private String type;
    private long address = -1;
    private Map<String, String> members;
    private Map<String, Long> lines;
    private long start;
    private int depth;

    StructReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
        List<String> args = section.arguments();
        for (int i = args.size() - 1; i >= 0; i--) {
            if (HEX_ADDR.matcher(args.get(i)).matches()) { address = Units.parseHex(args.get(i)); break; }
        }
        // "struct TYPE.m1,m2 ADDR" prints just those members at their indent, with no braces
        if (!args.isEmpty() && args.get(0).contains(".")) {
            memberForm = true;
            type = args.get(0).substring(0, args.get(0).indexOf('.'));
        }
    }

    private boolean memberForm;

    @Override public void line(long no, String text) {
        if (text.isBlank()) return;
        Matcher m;
        if (depth == 0 && memberForm && (m = MEMBER.matcher(text)).matches() && !text.strip().endsWith("{")) {
            if (members == null) {
                members = new LinkedHashMap<>();
                lines = new LinkedHashMap<>();
                start = no;
            }
            members.putIfAbsent(m.group(1), m.group(2).strip());
            lines.putIfAbsent(m.group(1), no);
            last = no;
            return;
        }
        if (depth == 0) {
            m = OPEN_TOP.matcher(text);
            if (m.matches()) {
                type = m.group(1);
                members = new LinkedHashMap<>();
                lines = new LinkedHashMap<>();
                start = no;
                depth = 1;
                path.clear();
            } else {
                sink.skipped(section.file(), no, text);
            }
            return;
        }
        if ((m = OPEN_NAMED.matcher(text)).matches()) {
            path.addLast(m.group(1));
            depth++;
        } else if (OPEN_ANON.matcher(text).matches()) {
            path.addLast("");
            depth++;
        } else if (CLOSE.matcher(text).matches()) {
            depth--;
            if (depth == 0) emit(no);
            else path.pollLast();
        } else if ((m = MEMBER.matcher(text)).matches()) {
            String name = prefix() + m.group(1);
            members.putIfAbsent(name, m.group(2).strip());
            lines.putIfAbsent(name, no);
        } else {
            sink.skipped(section.file(), no, text);
        }
    }

    private String prefix() {
        StringBuilder b = new StringBuilder();
        for (String p : path) if (!p.isEmpty()) b.append(p).append('.');
        return b.toString();
    }

    private void emit(long last) {
        sink.fact(new KernelStruct(type, address, java.util.Collections.unmodifiableMap(members), java.util.Collections.unmodifiableMap(lines),
                section.span(start, last)));
        members = null;
    }

    private long last;

    @Override public void end(long lastLine) {
        if (memberForm && depth == 0 && members != null) {
            emit(last);
            return;
        }
        if (depth > 0 && members != null) {
            sink.diagnostic(section.file(), lastLine, "warning", "struct " + type + " dump is cut short (" + depth
                    + " brace(s) left open); the members read so far are kept");
            emit(lastLine);
        }
    }
}
