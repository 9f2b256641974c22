package dev.leakdx.extract;

import dev.leakdx.extract.PageGroupAggregator.Acc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives compound tail pages to their head. A tail's lru.next overlays {@code compound_head | 1}
 * (include/linux/page-flags.h), and crash lists a compound page's tails right after its head, so
 * a tail whose lru.next - 1 is the last head read belongs to that head's group: it is counted there
 * as a tail ({@code PageGroup.tails}) and not as a group of its own. That is what makes a free
 * hugetlb page of 8192 rows one group entry, and what lets a rule tell "N huge pages" from "N
 * unrelated pages". A tail is attributed before its other columns are read: a tail's flags and
 * mapping are the head's business (TAIL_MAPPING, compound order), so a garbled one is still counted.
 *
 * <p>A chunk of a table read in parallel does not know the head before it: its leading tails,
 * before any head in it, are kept apart here per lru.next value ({@link #pending}) and settled when
 * the chunk is merged in file order, given to that head if theirs, else added as rows of their own.
 */
final class CompoundPageAttributor {
    private long lastHeadAddr = -1;
    private Acc lastHeadGroup;
    private boolean seenHead;

    /** True when a row with this lru.next is a tail of the last head read. */
    boolean ownedByLastHead(long lruValue) { return lastHeadGroup != null && lruValue - 1 == lastHeadAddr; }

    /** Counts tail pages with the last head read; only after {@link #ownedByLastHead} said so. */
    void addTails(long count) { lastHeadGroup.tails += count; }

    /** A head (any row that is not a tail) was read: the tails that follow may be its. */
    void head(long page, Acc group) {
        lastHeadAddr = page;
        lastHeadGroup = group;
        seenHead = true;
    }

    /** A head has been read here (in a chunk: the head before the chunk is not known). */
    boolean seenHead() { return seenHead; }

    /**
     * After a chunk is merged the last head is the chunk's, in the file's groups: the group its own
     * last head group was merged into.
     */
    void continueFrom(CompoundPageAttributor chunk) {
        if (!chunk.seenHead) return;
        lastHeadAddr = chunk.lastHeadAddr;
        lastHeadGroup = chunk.lastHeadGroup == null ? null : chunk.lastHeadGroup.merged;
    }

    // ------------------------------------------------------------------------------------------------
    // A chunk's leading tails, before any head in it

    final List<Acc> pending = new ArrayList<>();
    final List<Long> pendingLru = new ArrayList<>();
    private final Map<String, Integer> pendingIndex = new HashMap<>();
    private Acc lastPending;
    private long lastPendingLru;

    /** The group of a leading tail, apart per lru.next value (the head it names) and key. */
    Acc pending(PageRow r, long pageFlagMask) {
        long kl = r.keyLru(), kf = r.keyFlags(pageFlagMask), km = r.keyMap();
        if (lastPending != null && lastPendingLru == r.lruValue && r.others.isEmpty() && lastPending.others.isEmpty()
                && PageTableChunker.same(lastPending, r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, r.names))
            return lastPending; // the tails of one head come in a run
        Acc probe = new Acc(r.lruCode, kl, kf, r.mapCode, km, r.mapcount, r.refcount, r.others, r.names);
        String k = r.lruValue + "#" + probe.key();
        Integer i = pendingIndex.get(k);
        Acc p;
        if (i != null) {
            p = pending.get(i);
        } else {
            pendingIndex.put(k, pending.size());
            pending.add(probe);
            pendingLru.add(r.lruValue);
            p = probe;
        }
        lastPending = p;
        lastPendingLru = r.lruValue;
        return p;
    }
}
