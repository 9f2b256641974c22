package dev.leakdx.extract;

import java.util.ArrayList;
import java.util.List;

/**
 * What the columns of a page table are, as far as the lines read so far tell: the struct page
 * members of {@code kmem -m a,b,c} (from the command, since a grep'd excerpt has lost the header,
 * or from crash's header), or kmem -p's fixed {@code PAGE PHYSICAL MAPPING INDEX CNT FLAGS}; whether
 * rows still have their PAGE column; and whether they carry a count (an excerpt piped through
 * {@code uniq -c}, count first, or awk, count last). It changes only at a header line, which is
 * why rows can be read in chunks once it is known: a row's meaning then depends on it alone.
 *
 * <p>The five members that key a group (lru.next, flags, mapping, _mapcount, _refcount) have their
 * indexes here; any other member is an "other" column, kept as printed in the group key.
 */
final class PageTableColumns {
    static final List<String> KMEM_P = List.of("PHYSICAL", "MAPPING", "INDEX", "CNT", "FLAGS");

    /** The section's command is kmem -p. */
    private final boolean kmemPCommand;
    List<String> members;
    boolean hasPageColumn = true, countFirst;
    int iLru = -1, iFlags = -1, iMapping = -1, iMapcount = -1, iRefcount = -1;
    int[] iOthers = new int[0];

    /** The columns a section's command names: its members, and a count column if it was piped through an aggregation. */
    PageTableColumns(String baseCommand, String command) {
        this.kmemPCommand = baseCommand.matches("kmem\\s+-p\\b.*");
        List<String> fromCommand = membersFromCommand(baseCommand);
        if (fromCommand != null) set(fromCommand);
        // Rows piped through an aggregation (awk counting, sort | uniq -c) lost their PAGE column and
        // gained a count: first with uniq -c, last with the usual awk 'print k, c[k]'.
        String pipes = command.contains("|") ? command.substring(command.indexOf('|')) : "";
        if (pipes.matches(".*\\b(uniq\\s+-c|awk)\\b.*")) {
            hasPageColumn = false;
            countFirst = pipes.matches(".*\\buniq\\s+-c\\b.*");
        }
    }

    /** The members of {@code kmem -m a,b,c} (or {@code -ma,b,c}); null when the command names none. */
    static List<String> membersFromCommand(String base) {
        String[] t = base.split("\\s+");
        for (int i = 0; i + 1 < t.length; i++) {
            if (t[i].equals("-m")) return new ArrayList<>(List.of(t[i + 1].split(",")));
            if (t[i].startsWith("-m") && t[i].length() > 2 && !t[i].startsWith("-m=")) return new ArrayList<>(List.of(t[i].substring(2).split(",")));
        }
        return null;
    }

    boolean known() { return members != null; }

    boolean isKmemP() { return kmemPCommand || members == KMEM_P; }

    /** The table name facts carry. */
    String table() { return isKmemP() ? "kmem -p" : "kmem -m"; }

    /**
     * True when the tokens are a header, which then sets the columns: "PAGE PHYSICAL MAPPING ..."
     * is kmem -p, "PAGE a b" is kmem -m, "a b" (member names alone) an excerpt without PAGE.
     */
    boolean isHeader(String[] tok) {
        if (tok[0].equals("PAGE")) {
            List<String> cols = new ArrayList<>(List.of(tok).subList(1, tok.length));
            if (cols.size() >= 5 && cols.get(0).equals("PHYSICAL") && cols.get(1).equals("MAPPING")) set(KMEM_P);
            else if (members == null) set(cols);
            hasPageColumn = true;
            return true;
        }
        for (String t : tok) if (!t.matches("[A-Za-z_][A-Za-z0-9_.\\[\\]]*")) return false;
        if (members == null || List.of(tok).equals(members)) {
            set(new ArrayList<>(List.of(tok)));
            hasPageColumn = false;
            return true;
        }
        return false;
    }

    void set(List<String> m) {
        members = m;
        iLru = m.indexOf("lru.next") >= 0 ? m.indexOf("lru.next") : m.indexOf("lru");
        iFlags = m.indexOf("flags");
        iMapping = m.indexOf("mapping");
        iMapcount = m.indexOf("_mapcount");
        iRefcount = m.indexOf("_refcount");
        List<Integer> o = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) if (i != iLru && i != iFlags && i != iMapping && i != iMapcount && i != iRefcount) o.add(i);
        iOthers = o.stream().mapToInt(Integer::intValue).toArray();
    }

    static final int COL_HEX16 = 1, COL_HEX8 = 2, COL_DEC = 3;

    /**
     * The columns of a kmem -m row exactly as crash prints them, two spaces apart: PAGE, lru.next,
     * flags and mapping as %016lx, _mapcount as %d, _refcount last as %08x. Null when the members
     * are others (or _refcount is not last, so it is glued to the next column): such rows are
     * only read the general way.
     */
    int[] layout() {
        if (isKmemP() || !hasPageColumn || iOthers.length > 0) return null;
        int n = members.size();
        int[] kinds = new int[n];
        for (int i = 0; i < n; i++) {
            String m = members.get(i);
            if (m.equals("lru.next") || m.equals("flags") || m.equals("mapping")) kinds[i] = COL_HEX16;
            else if (m.equals("_mapcount")) kinds[i] = COL_DEC;
            else if (m.equals("_refcount") && i == n - 1) kinds[i] = COL_HEX8;
            else return null;
        }
        return kinds;
    }
}
