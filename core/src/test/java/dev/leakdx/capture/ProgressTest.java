package dev.leakdx.capture;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress bar's line, and its silence when stderr is not a terminal. No timings. */
class ProgressTest {
    @Test
    void barShowsBytesRateAndTimeLeft() {
        String line = Progress.render(312L << 20, 700L << 20, 1.5);
        assertEquals("leakdx: [==========>             ]  44%  312 MB / 700 MB  208 MB/s  ETA 0:02", line);
        assertTrue(Progress.render(0, 700L << 20, 0).endsWith("ETA --:--"), "no rate yet");
        assertTrue(Progress.render(20L << 30, 40L << 30, 100).contains("20.0 GB / 40.0 GB"), "big files in GB");
    }

    @Test
    void silentWhenNotATerminalOrSmall() {
        // surefire's JVM has no console: never a bar, whatever the size
        if (System.console() == null && System.getProperty("leakdx.progress") == null) {
            assertNull(Progress.start(10L << 30, 10L << 30));
        }
        assertNull(withMode("never", () -> Progress.start(10L << 30, 10L << 30)));
        assertNull(withMode("auto", () -> Progress.start(1L << 20, 1L << 20)), "small captures never get a bar");
    }

    private static Progress withMode(String mode, java.util.function.Supplier<Progress> s) {
        String old = System.getProperty("leakdx.progress");
        System.setProperty("leakdx.progress", mode);
        try {
            return s.get();
        } finally {
            if (old == null) System.clearProperty("leakdx.progress"); else System.setProperty("leakdx.progress", old);
        }
    }
}
