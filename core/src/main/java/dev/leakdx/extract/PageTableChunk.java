package dev.leakdx.extract;

import dev.leakdx.extract.PageGroupAggregator.Acc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one chunk of a page table's rows adds up to on its own ({@link PageTableChunker#chunk}),
 * with line numbers counted from the chunk's first line (1), waiting to be merged in file order.
 * Everything that depends on the rows before the chunk is kept open: its leading compound tails
 * ({@link CompoundPageAttributor#pending}), its examples as candidates, its strides as a sample,
 * its skipped lines (the first few, as text).
 */
final class PageTableChunk {
    static final int OUT_NONE = 0, OUT_TAIL = 1, OUT_GROUP = 2;

    long lines;
    /** Byte offset of the line that stopped the chunk (not a row: a prompt, a header), or -1 when it read to its end. */
    int stopAt = -1;
    /** The chunk's groups in order of their first row; rows with other members are found by key ({@link #slow}), the rest by hash. */
    final List<Acc> order = new ArrayList<>();
    Acc[] table = new Acc[64];
    final Map<String, Acc> slow = new HashMap<>();
    Acc lastGroup;
    /** The chunk's heads and its leading tails. */
    final CompoundPageAttributor heads = new CompoundPageAttributor();
    /** What happened to the last row: OUT_TAIL (counted with its head), OUT_GROUP (added to outcomeGroup), or neither. */
    int outcome;
    Acc outcomeGroup;
    final PageStrides.Sample strides = new PageStrides.Sample();
    // lines not understood
    long skipped;
    final List<Long> skippedLines = new ArrayList<>();
    final List<String> skippedText = new ArrayList<>();

    void skipped(long no, String text) {
        skipped++;
        if (skippedLines.size() < 3) {
            skippedLines.add(no);
            skippedText.add(text);
        }
    }
}
