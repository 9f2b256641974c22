package dev.leakdx.capture;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel log of the running host, in the {@code [seconds.micros] message} lines that
 * {@code dmesg} prints and the kernel-log extractor reads. {@code dmesg} (util-linux) is used when
 * it runs; otherwise the records of /dev/kmsg are turned into the same lines.
 */
public final class KernelLog {
    private KernelLog() {}

    /**
     * A /dev/kmsg record (Documentation/ABI/testing/dev-kmsg): {@code level,seq,usec,flags[,...];text},
     * the text with non-printable bytes escaped as {@code \xNN}; continuation lines that start with a
     * space carry SUBSYSTEM=/DEVICE= dictionary entries, not log text.
     */
    private static final Pattern RECORD = Pattern.compile("^(\\d+),(\\d+),(\\d+),[^;]*;(.*)$", Pattern.DOTALL);

    /** The log text, or null with the reason in {@code why[0]}; dmesg is tried first when {@code kmsg} is the host's own. */
    public static String read(Path kmsg, String[] why) {
        String viaDmesg = kmsg.equals(Path.of("/dev/kmsg")) ? dmesg(why) : null;
        if (viaDmesg != null) return viaDmesg;
        String viaKmsg = kmsg(kmsg, why);
        return viaKmsg;
    }

    private static String dmesg(String[] why) {
        try {
            Process p = new ProcessBuilder("dmesg").redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) { p.destroy(); why[0] = "dmesg did not finish"; return null; }
            if (p.exitValue() != 0 || out.length == 0) { why[0] = "dmesg exited " + p.exitValue(); return null; }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            why[0] = "no dmesg command (" + e.getMessage() + ")";
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why[0] = "interrupted";
            return null;
        }
    }

    /**
     * /dev/kmsg blocks once every stored record has been read, and Java cannot open it O_NONBLOCK:
     * a daemon thread reads records while this one stops when none has come for a short while.
     */
    static String kmsg(Path kmsg, String[] why) {
        BlockingQueue<Object> q = new LinkedBlockingQueue<>();
        Object end = new Object();
        Thread t = new Thread(() -> {
            try (InputStream in = new FileInputStream(kmsg.toFile())) {
                byte[] buf = new byte[16 << 10]; // one record per read; a short buffer fails with EINVAL
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        // EPIPE: records overwritten while reading; the next read goes on from the oldest kept
                        if (String.valueOf(e.getMessage()).contains("Broken pipe")) continue;
                        throw e;
                    }
                    if (n < 0) break;
                    q.add(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                q.add(e);
            }
            q.add(end);
        }, "leakdx-kmsg");
        t.setDaemon(true);
        t.start();
        List<String> records = new ArrayList<>();
        try {
            while (true) {
                Object o = q.poll(records.isEmpty() ? 2000 : 300, TimeUnit.MILLISECONDS);
                if (o == null || o == end) break;
                if (o instanceof IOException e) {
                    if (records.isEmpty()) { why[0] = kmsg + ": " + e.getMessage(); return null; }
                    break;
                }
                records.add((String) o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        t.interrupt();
        if (records.isEmpty()) { why[0] = kmsg + ": no records"; return null; }
        return dmesgText(String.join("", records));
    }

    /**
     * Records as dmesg prints them. The kernel escapes newlines inside a record's text, so every
     * line that does not start with a space is one record; the indented ones are its dictionary.
     */
    static String dmesgText(String records) {
        StringBuilder b = new StringBuilder();
        for (String r : records.split("\n")) {
            if (r.isEmpty() || r.startsWith(" ")) continue;
            String line = dmesgLine(r);
            if (line != null) b.append(line).append('\n');
        }
        return b.toString();
    }

    /** One /dev/kmsg record as dmesg prints it: {@code [    5.123456] text}. */
    static String dmesgLine(String record) {
        Matcher m = RECORD.matcher(record);
        if (!m.matches()) return null;
        long usec = Long.parseLong(m.group(3));
        return String.format(Locale.ROOT, "[%5d.%06d] %s", usec / 1_000_000, usec % 1_000_000, unescape(m.group(4)));
    }

    private static String unescape(String s) {
        if (!s.contains("\\x")) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x'
                    && s.substring(i + 2, i + 4).matches("[0-9a-fA-F]{2}")) {
                int c = Integer.parseInt(s.substring(i + 2, i + 4), 16);
                b.append(c == '\n' || c == '\t' ? ' ' : (char) c);
                i += 3;
            } else b.append(s.charAt(i));
        }
        return b.toString();
    }
}
