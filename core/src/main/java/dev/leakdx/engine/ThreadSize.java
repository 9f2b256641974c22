package dev.leakdx.engine;

import dev.leakdx.facts.Units;

/**
 * THREAD_SIZE, the bytes of one kernel stack, which turns meminfo KernelStack into a thread
 * count. It is a build-time constant that no /proc file prints, so it is derived, best source
 * first, and {@link #how} says which was used:
 * <ol>
 * <li>measured: a vmap'd stack is a vmalloc area of THREAD_SIZE plus one guard page
 *     (CONFIG_VMAP_STACK, 4.9+), so the size /proc/vmallocinfo prints for the stack
 *     allocator's areas, less one page, is THREAD_SIZE itself (KASAN or not);</li>
 * <li>by architecture and page size: x86_64 16 KiB since 3.15 (cm 6538b8ea886e "x86_64:
 *     expand kernel stack to 16K"; 32 KiB with KASAN); arm64 MIN_THREAD_SHIFT 14 (16 KiB),
 *     raised to PAGE_SHIFT with VMAP_STACK when pages are larger (arch/arm64/include/asm/memory.h),
 *     so 16 KiB with 4 KiB or 16 KiB pages and 64 KiB with 64 KiB pages;</li>
 * <li>otherwise 16 KiB, said to be an assumption.</li>
 * </ol>
 */
public record ThreadSize(long bytes, String how, boolean assumed) {

    /** The stack allocator's vmallocinfo caller: kernel_clone (5.10+), _do_fork, copy_process or dup_task_struct when not inlined. */
    public static boolean isStackCaller(String caller) {
        // GCC clones print as copy_process.part.33, .isra.0, .constprop.0: the function is the part before
        String function = caller.replaceAll("\\.(part|isra|constprop|cold)\\.?\\d*.*$", "");
        return function.equals("kernel_clone") || function.equals("_do_fork") || function.equals("copy_process")
                || function.equals("dup_task_struct") || function.equals("alloc_thread_stack_node") || function.equals("do_fork");
    }

    /**
     * @param arch        "x86_64", "arm64", other, or "" when unknown
     * @param pageSize    bytes, or -1 when unknown
     * @param stackArea   the commonest vmallocinfo area size of the stack allocator, or -1
     */
    public static ThreadSize of(String arch, long pageSize, long stackArea) {
        if (stackArea > 0 && pageSize > 0 && stackArea - pageSize >= pageSize && Long.bitCount(stackArea - pageSize) == 1)
            return new ThreadSize(stackArea - pageSize, "measured: the stack allocator's vmalloc areas are "
                    + Units.bytes(stackArea) + ", THREAD_SIZE plus one " + Units.bytes(pageSize) + " guard page", false);
        if (arch.equals("x86_64"))
            return new ThreadSize(16384, "x86_64 THREAD_SIZE is 16 KiB since 3.15 (32 KiB with KASAN, not assumed)", false);
        if (arch.equals("arm64") && pageSize > 0)
            return new ThreadSize(Math.max(16384, pageSize), "arm64 THREAD_SIZE is 16 KiB, or PAGE_SIZE when larger with VMAP_STACK: "
                    + Units.bytes(Math.max(16384, pageSize)) + " with " + Units.bytes(pageSize) + " pages", false);
        return new ThreadSize(16384, "assumed 16 KiB (arch " + (arch.isEmpty() ? "unknown" : arch)
                + (pageSize > 0 ? ", " + Units.bytes(pageSize) + " pages" : ", page size unknown")
                + "); a vmallocinfo or a known arch would settle it", true);
    }
}
