package dev.leakdx.facts;

/**
 * One row of an OOM report's task table (mm/oom_kill.c dump_task), memory values in pages.
 * Three header generations (KERNEL-NOTES §5): "... total_vm rss rss_anon rss_file rss_shmem
 * pgtables_bytes swapents oom_score_adj name" (6.8+), "... rss pgtables_bytes swapents ..."
 * (4.15+) and "... rss nr_ptes [nr_pmds] swapents ..." (older, page-table pages instead of
 * bytes). A value a generation does not print is -1: {@code pgtablesBytes} on old kernels
 * (they give {@code pgtablesPages} = nr_ptes + nr_pmds), the rss split before 6.8.
 */
public record OomTask(long pid, long uid, long tgid, long totalVmPages, long rssPages, long pgtablesBytes, long swapents,
                      int oomScoreAdj, String name, long rssAnonPages, long rssFilePages, long rssShmemPages, long pgtablesPages,
                      Provenance provenance) implements Fact {

    public OomTask(long pid, long uid, long tgid, long totalVmPages, long rssPages, long pgtablesBytes, long swapents,
                   int oomScoreAdj, String name, Provenance provenance) {
        this(pid, uid, tgid, totalVmPages, rssPages, pgtablesBytes, swapents, oomScoreAdj, name, -1, -1, -1, -1, provenance);
    }

    /** Page-table bytes: as printed, or page-table pages x pageSize on old kernels; -1 when unknown. */
    public long pgtablesBytes(long pageSize) {
        if (pgtablesBytes >= 0) return pgtablesBytes;
        return pgtablesPages >= 0 && pageSize > 0 ? pgtablesPages * pageSize : -1;
    }

    @Override public String describe() {
        return "OOM task " + pid + " (" + name + "): rss " + Units.count(rssPages) + " pages, total_vm " + Units.count(totalVmPages)
                + " pages" + (pgtablesBytes >= 0 ? ", page tables " + Units.bytes(pgtablesBytes) : "")
                + (swapents > 0 ? ", " + Units.count(swapents) + " swap entries" : "") + ", oom_score_adj " + oomScoreAdj;
    }
}
