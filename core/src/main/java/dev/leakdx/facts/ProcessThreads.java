package dev.leakdx.facts;

/**
 * A process's thread count and page-table size from /proc/PID/status ("Threads:" and
 * "VmPTE:"; VmPTE holds every page-table level since 4.15, cm af5b0f6a09e4 "mm: consolidate
 * page table accounting", before that PTE pages only). Each thread owns one kernel stack
 * (THREAD_SIZE), so the process with most threads is the first suspect when KernelStack grows;
 * the one with the largest VmPTE when PageTables does. {@code pageTableBytes} is -1 when the
 * status file does not print VmPTE (kernel threads).
 */
public record ProcessThreads(long pid, String comm, long threads, long pageTableBytes, Provenance provenance) implements Fact {
    @Override public String describe() {
        return "pid " + pid + " (" + comm + "): " + Units.count(threads) + " threads"
                + (pageTableBytes >= 0 ? ", page tables " + Units.bytes(pageTableBytes) : "");
    }
}
