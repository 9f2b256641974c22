package dev.leakdx.report;

import dev.leakdx.capture.Tty;

import java.io.File;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the text report is laid out: the width it wraps to and whether it colours severities.
 * On a terminal: its width (COLUMNS, else what {@code stty size} says of /dev/tty) and colour,
 * unless NO_COLOR is set or TERM is dumb. Anywhere else (a pipe, a file): 80 columns and no
 * colour, unless {@code --width} asks for another width.
 */
public record Terminal(int width, boolean colour) {
    public static final int PIPED_WIDTH = 80;
    public static final Terminal PLAIN = new Terminal(PIPED_WIDTH, false);

    public Terminal {
        width = Math.max(40, width);
    }

    /** The layout for standard output of this process, {@code askedWidth} (or null) from --width. */
    public static Terminal forStdout(Integer askedWidth) {
        return decide(Tty.isTerminal(1), System.getenv(), askedWidth, Terminal::sttyColumns);
    }

    /** The decision, with the terminal test, the environment and the width probe passed in (tests). */
    static Terminal decide(boolean tty, Map<String, String> env, Integer askedWidth, java.util.function.IntSupplier probe) {
        boolean colour = tty && env.getOrDefault("NO_COLOR", "").isEmpty() && !"dumb".equals(env.get("TERM"));
        if (askedWidth != null) return new Terminal(askedWidth, colour);
        if (!tty) return new Terminal(PIPED_WIDTH, false);
        int w = 0;
        try {
            w = Integer.parseInt(env.getOrDefault("COLUMNS", "").strip());
        } catch (NumberFormatException e) {
            w = probe.getAsInt();
        }
        return new Terminal(w > 0 ? w : PIPED_WIDTH, colour);
    }

    /** The columns of the controlling terminal, or 0. */
    static int sttyColumns() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroy();
            String[] rc = out.split("\\s+");
            return rc.length == 2 ? Integer.parseInt(rc[1]) : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    String severity(String sev) {
        String word = sev.toUpperCase(java.util.Locale.ROOT);
        if (!colour) return word;
        return switch (sev) {
            case "critical" -> "\u001b[1;31m" + word + "\u001b[0m";
            case "warning" -> "\u001b[1;33m" + word + "\u001b[0m";
            default -> "\u001b[36m" + word + "\u001b[0m";
        };
    }

    String heading(String text) {
        return colour ? "\u001b[1m" + text + "\u001b[0m" : text;
    }
}
