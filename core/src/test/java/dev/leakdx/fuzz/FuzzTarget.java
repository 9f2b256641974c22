package dev.leakdx.fuzz;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.capture.TempDirs;
import dev.leakdx.engine.Diagnoser;
import dev.leakdx.extract.ExtractorRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One fuzz input through the capture opener and every extractor spec: the first byte picks a
 * preamble (none: the bytes are the capture file itself, so archives, gzip and xz reach the opener;
 * else a crash prompt or a header that routes the rest to one spec), the rest is the file. The file
 * is opened and extracted as a diagnose would (host settled, processes merged, trends) in strict
 * mode, where a reader's runtime exception is thrown rather than turned into a diagnostic. Input it
 * rightly rejects (IOException from the opener: not an archive, not readable) is fine; any other
 * exception or error is a finding.
 *
 * <p>Also the entry point of the long run: {@code fuzzerTestOneInput} is what Jazzer's standalone
 * driver calls (core/src/test/fuzz/long-fuzz.sh).
 */
public final class FuzzTarget {
    private FuzzTarget() {}

    /** Preambles after which the fuzzed bytes are read by one spec: a crash prompt per command family, or a format's header. */
    static final List<String> PREAMBLES = List.of(
            "",
            "crash> kmem -i\n", "crash> kmem -s\n", "crash> kmem -m lru.next,flags,mapping,_mapcount,_refcount\n", "crash> kmem -p\n",
            "crash> kmem -h\n", "crash> kmem -v\n", "crash> kmem ffff8ee243058000\n", "crash> p page_frag_cache\n", "crash> ptov 3058000\n",
            "crash> rd ffff8ee243058000 8\n", "crash> search -k ffff8ee243058000\n", "crash> struct page_frag_cache ffff8ee2bff85408\n",
            "crash> sys\n", "crash> vtop ffff8ee243058000\n", "crash> log\n", "crash> kmem -m lru.next | grep dead000 | wc -l\n",
            "MemTotal:        8000000 kB\n", "slabinfo - version: 2.1\n", "nr_free_pages 1000\n", "Node 0, zone   Normal\n",
            "Node 0, zone      DMA      1      1      1      0      2      1      1      0      1      1      3\n",
            "0xffffb0b5c0000000-0xffffb0b5c0005000   20480 load_module+0x1b4/0x2a0 pages=4 vmalloc N0=4\n",
            "             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags\n",
            "Name:\tsystemd\nPid:\t1\n", "12345.67 23456.78\n",
            "[    0.000000] Linux version 6.1.0 (gcc) #1 SMP\n");

    private static ExtractorRegistry registry;
    private static Diagnoser diagnoser;
    private static Path dir;

    public static synchronized void fuzzerInitialize() {
        if (diagnoser != null) return;
        System.setProperty("leakdx.strict", "true");
        try {
            registry = ExtractorRegistry.load(null);
            diagnoser = new Diagnoser(CompletableFuture.completedFuture(null), registry);
            dir = TempDirs.create("fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jazzer's entry point (standalone driver and the JUnit harness alike). */
    public static void fuzzerTestOneInput(byte[] input) {
        fuzzerInitialize();
        if (input.length == 0) return;
        String pre = PREAMBLES.get((input[0] & 0xff) % PREAMBLES.size());
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        byte[] file;
        if (pre.isEmpty()) file = body;
        else {
            byte[] p = pre.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            file = Arrays.copyOf(p, p.length + body.length);
            System.arraycopy(body, 0, file, p.length, body.length);
        }
        Path f = dir.resolve("capture");
        try {
            Files.write(f, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Capture c;
        try {
            c = CaptureOpener.open(f);
        } catch (IOException rejected) {
            return; // not an archive it can read, said as such: the right answer
        }
        try (c) {
            diagnoser.extract(c);
        }
    }

    /** A seed: the preamble's number, then the file's first {@code max} bytes. */
    static byte[] seed(byte[] file, int preamble) { return seed(file, preamble, 64 * 1024); }

    static byte[] seed(byte[] file, int preamble, int max) {
        byte[] s = new byte[Math.min(file.length, max) + 1];
        s[0] = (byte) preamble;
        System.arraycopy(file, 0, s, 1, s.length - 1);
        return s;
    }
}
