package dev.leakdx.engine;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where a run's wall time goes, printed on stderr when {@code LEAKDX_TIMINGS=1}: milliseconds
 * since the JVM started at the end of each stage. The benchmark and the performance page use it
 * to say what dominates a cold start; it costs nothing when off.
 */
public final class StageClock {
    private static final boolean ON = "1".equals(System.getenv("LEAKDX_TIMINGS")) || Boolean.getBoolean("leakdx.timings");

    private StageClock() {}

    public static void mark(String stage) {
        if (!ON) return;
        long ms = ManagementFactory.getRuntimeMXBean().getUptime();
        System.err.printf(Locale.ROOT, "leakdx: timing %6d ms  %s [%s]%n", ms, stage, Thread.currentThread().getName());
    }
}
