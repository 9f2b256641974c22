package dev.leakdx.capture;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar on stderr while a big capture is read: bytes read of the total (on disk, so
 * compressed files count their compressed bytes), rate and time left. Shown only when the
 * capture has a file over {@link #THRESHOLD} bytes and the session is interactive
 * (stderr is a terminal, whatever stdout is); {@code -Dleakdx.progress=always|never} overrides that.
 * Silent otherwise, so reports piped to files or other tools never carry it.
 */
public final class Progress implements AutoCloseable {
    public static final long THRESHOLD = 50L << 20;
    private static final long PERIOD_MS = 250;

    private final AtomicLong done = new AtomicLong();
    private final long total;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private final Thread ticker;
    private volatile boolean closed;
    private int lastWidth;

    private Progress(long total, PrintStream out) {
        this.total = Math.max(1, total);
        this.out = out;
        ticker = new Thread(this::run, "leakdx-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** A bar for reading {@code totalBytes}, or null when none should be shown. */
    public static Progress start(long totalBytes, long largestFile) {
        String mode = System.getProperty("leakdx.progress", "auto");
        boolean show = switch (mode) {
            case "always" -> true;
            case "never" -> false;
            default -> largestFile > THRESHOLD && Tty.isTerminal(2);
        };
        return show ? new Progress(totalBytes, System.err) : null;
    }

    /** The counter the capture's file streams add the bytes they read to. */
    public AtomicLong counter() { return done; }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) draw();
        }
    }

    private synchronized void draw() {
        if (closed) return;
        String line = render(done.get(), total, (System.nanoTime() - started) / 1e9);
        StringBuilder b = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastWidth; i++) b.append(' ');
        lastWidth = line.length();
        out.print(b);
        out.flush();
    }

    /** "leakdx: [=========>          ]  45%  312 MB / 700 MB  210 MB/s  ETA 0:02" */
    static String render(long done, long total, double seconds) {
        double f = Math.min(1, done / (double) total);
        int width = 24, filled = (int) (f * width);
        StringBuilder bar = new StringBuilder();
        for (int i = 0; i < width; i++) bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 ? clock((total - Math.min(done, total)) / rate) : "--:--";
        return String.format(Locale.ROOT, "leakdx: [%s] %3d%%  %s / %s  %s/s  ETA %s", bar, (int) (f * 100), mb(done), mb(total), mb((long) rate), eta);
    }

    private static String mb(long bytes) {
        if (bytes >= 10L << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        return String.format(Locale.ROOT, "%d MB", bytes >> 20);
    }

    private static String clock(double secs) {
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Removes the bar, leaving the terminal line clean for the report. */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        ticker.interrupt();
        if (lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
        }
    }
}
