package dev.leakdx.extract;

import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.MemCounter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * /proc/pagetypeinfo (mm/vmstat.c pagetypeinfo_show): the pageblock size, then free blocks per
 * order for each node, zone and migrate type, then how many pageblocks each migrate type owns:
 * <pre>
 * Page block order: 9
 * Pages per block:  512
 * Free pages count per migrate type at order       0      1 ...
 * Node    0, zone   Normal, type    Unmovable    166    110 ...
 * Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate
 * Node 0, zone   Normal          146         7506           28            0            0
 * </pre>
 * Since 5.6 (93b3a674485f) a count above 100000 prints as {@code >100000}: it is read as 100000 and
 * the sum is then a lower bound (said in a diagnostic). Facts: EventCounter(source "pagetypeinfo",
 * name "pageblock_order" | "pages_per_block"); MemCounter(source "pagetypeinfo", name
 * "Node N ZONE TYPE free", pages = sum of count x 2^order, bytes once the page size is known);
 * EventCounter(source "pagetypeinfo", name "Node N ZONE TYPE blocks"). The "Number of mixed blocks"
 * table (CONFIG_PAGE_OWNER) is read the same way with "mixed blocks".
 */
final class PageTypeInfoReader implements SectionReader {
    private static final Pattern ORDER = Pattern.compile("^Page block order:\\s*(\\d+)\\s*$");
    private static final Pattern PER_BLOCK = Pattern.compile("^Pages per block:\\s*(\\d+)\\s*$");
    private static final Pattern FREE = Pattern.compile("^Node\\s+(\\d+),\\s+zone\\s+(\\w+),\\s+type\\s+(\\w+)((?:\\s+>?\\d+)+)\\s*$");
    private static final Pattern BLOCKS_HEADER = Pattern.compile("^Number of (blocks|mixed blocks) type((?:\\s+\\w+)+)\\s*$");
    private static final Pattern BLOCKS = Pattern.compile("^Node\\s+(\\d+),\\s+zone\\s+(\\w+)((?:\\s+\\d+)+)\\s*$");

    private final Section section;
    private final Sink sink;
    private List<String> types = List.of();
    private String blockKind = "blocks";
    private boolean capped;

    PageTypeInfoReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
    }

    @Override public void line(long no, String line) {
        String t = MailQuote.strip(line).strip();
        if (t.isEmpty() || t.startsWith("Free pages count per migrate type")) return;
        Matcher m;
        if ((m = ORDER.matcher(t)).matches()) {
            sink.fact(new EventCounter("pagetypeinfo", "pageblock_order", Long.parseLong(m.group(1)), section.at(no)));
        } else if ((m = PER_BLOCK.matcher(t)).matches()) {
            sink.fact(new EventCounter("pagetypeinfo", "pages_per_block", Long.parseLong(m.group(1)), section.at(no)));
        } else if ((m = FREE.matcher(t)).matches()) {
            String[] counts = m.group(4).strip().split("\\s+");
            long pages = 0;
            for (int order = 0; order < counts.length; order++) {
                String c = counts[order];
                if (c.startsWith(">")) { capped = true; c = c.substring(1); }
                pages += Long.parseLong(c) << order;
            }
            sink.fact(new MemCounter("pagetypeinfo", "Node " + m.group(1) + " " + m.group(2) + " " + m.group(3) + " free", pages, -1,
                    section.at(no)));
        } else if ((m = BLOCKS_HEADER.matcher(t)).matches()) {
            blockKind = m.group(1);
            types = new ArrayList<>(List.of(m.group(2).strip().split("\\s+")));
        } else if ((m = BLOCKS.matcher(t)).matches() && !types.isEmpty()) {
            String[] counts = m.group(3).strip().split("\\s+");
            if (counts.length != types.size()) { sink.skipped(section.file(), no, line); return; }
            for (int i = 0; i < counts.length; i++)
                sink.fact(new EventCounter("pagetypeinfo", "Node " + m.group(1) + " " + m.group(2) + " " + types.get(i) + " " + blockKind,
                        Long.parseLong(counts[i]), section.at(no)));
        } else {
            sink.skipped(section.file(), no, line);
        }
    }

    @Override public void end(long lastLine) {
        if (capped)
            sink.diagnostic(section.file(), 0, "info", "pagetypeinfo prints counts over 100000 as '>100000' (5.6+): those free sums are lower bounds");
    }
}
