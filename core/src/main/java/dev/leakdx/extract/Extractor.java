package dev.leakdx.extract;

import dev.leakdx.capture.ByteBlocks;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureFile;
import dev.leakdx.capture.Decompress;
import dev.leakdx.capture.Progress;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.PipelineCount;
import dev.leakdx.facts.Provenance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams every file of a capture once and routes its lines to the right reader. A crash
 * transcript is split at {@code crash> } prompts into one section per command (pipes and
 * commands without output included); a file without prompts, or output pasted without its
 * prompt, is recognised by a header among its first lines. Sections nobody reads become
 * {@code CommandRun(format = "unknown")} facts, so the report can list them.
 */
public final class Extractor {
    private static final Pattern PROMPT = Pattern.compile("^\\s*crash(?:-[\\w.]+)?>\\s?(.*)$");
    private static final Pattern WC_L = Pattern.compile("\\|\\s*wc\\s+-l\\s*$");
    /**
     * A shell prompt in a pasted terminal session: an optional prompt prefix ({@code [root@h ~]},
     * {@code user@host:~}, {@code admin proc}, {@code 7 [18:34] rol@donald:/kernels},
     * {@code home[1010]:/home/orf}), then {@code $}, {@code #}, {@code %} or {@code >}, or a bracketed
     * prompt with a history number and no such character ({@code [~]2 }) (a Markdown
     * paste may escape {@code #} as {@code \#}), then a command among those that print memory
     * evidence. Crash prompts are matched first, so {@code crash> ps} stays a crash command.
     * The command list keeps a slabinfo legend ({@code # name <active_objs> ...}) or a shell comment
     * from being read as a prompt.
     */
    static final Pattern SHELL_PROMPT = Pattern.compile("^\\s*(?:(?:\\d+\\s+)?(?:\\[[^\\]]{1,80}\\]\\s*)?(?:[^\\s$#%>]{1,80}(?:\\s+[^\\s$#%>]{1,40})?\\s*)?"
            + "(?:\\\\?[$#%]|>)|\\[(?!\\s*\\d+\\.\\d+\\])[^\\]]{1,80}\\]\\d{0,5})\\s*(?<cmd>(?:sudo\\s+)?(?:cat|grep|egrep|zgrep|fgrep|head|tail|less|more|"
            + "slabtop|free|date|uptime|dmesg|journalctl|vmstat|ps|smem|numastat|awk|sort|watch|echo|sysctl|top|uname|ls|sleep|for|while|df|du|lsmod|sync|dd|mount|numactl|pmap|sar|exit)(?=\\s|$).*)$");
    /**
     * A command on a line of its own without a prompt ({@code free -m}, {@code slabtop -o},
     * {@code cat /proc/meminfo}, {@code grep Slab /proc/meminfo}), as people paste it above its
     * output: read like a prompt, so its options (free's unit) are known.
     */
    static final Pattern BARE_COMMAND = Pattern.compile(
            "^\\s*(?<cmd>(?:sudo\\s+)?(?:free(?:\\s+-{1,2}[a-z]+)*|slabtop(?:\\s+-{1,2}[a-z=]+(?:\\s+[a-z])?)*|(?:cat|more|less|grep|egrep)\\s+(?:[^|;&]*\\s)?/(?:proc|sys)/\\S+))\\s*$");
    /** A Markdown code fence (```, ```text): decoration of a paste, read as a blank line. */
    static final Pattern CODE_FENCE = Pattern.compile("^\\s*(?:```|~~~)[\\w-]*\\s*$");
    /** Mail quoting: {@code > }, {@code >> }, {@code > > } at the start of a line. */
    static final Pattern MAIL_QUOTE = Pattern.compile("^(?:>[ \\t]?)+");
    /** How far into an unrecognised section we look for a known header. */
    private static final int SNIFF_LINES = 40;

    /** Bytes per block a big page table is read in; each block is one chunk of rows for a worker. */
    static final int CHUNK_BYTES = 4 << 20;

    private final ExtractorRegistry registry;
    private final int chunkBytes, workers;

    public Extractor(ExtractorRegistry registry) {
        this(registry, CHUNK_BYTES, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * {@code workers}: threads that aggregate chunks of a page table (1: chunks are read in turn by
     * the file's own thread; 0: no chunks, every line goes through the section reader in order, the
     * reference the chunked path is tested against).
     */
    Extractor(ExtractorRegistry registry, int chunkBytes, int workers) {
        this.registry = registry;
        this.chunkBytes = chunkBytes;
        this.workers = workers;
    }

    /** Threads shared by every extraction that reads a page table in chunks. */
    private static ExecutorService chunkPool;

    private static synchronized ExecutorService chunkPool() {
        if (chunkPool == null) {
            chunkPool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "leakdx-chunk");
                t.setDaemon(true);
                return t;
            });
        }
        return chunkPool;
    }

    /**
     * Files are independent, so they are read in parallel (one per core: decompressing and
     * aggregating a big page table is CPU-bound) and their results merged in capture order,
     * so the output does not depend on scheduling.
     */
    public Sink extract(Capture capture) {
        List<CaptureFile> files = capture.files();
        long total = 0, largest = 0;
        for (CaptureFile f : files) {
            long n = size(f);
            total += n;
            largest = Math.max(largest, n);
        }
        try (Progress progress = Progress.start(total, largest)) {
            return extract(files, progress == null ? null : progress.counter());
        }
    }

    private Sink extract(List<CaptureFile> files, AtomicLong progress) {
        List<Sink> parts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) parts.add(new Sink());
        int threads = Math.min(files.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (threads <= 1) {
            for (int i = 0; i < files.size(); i++) extract(files.get(i), parts.get(i), progress);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "leakdx-extract");
                t.setDaemon(true);
                return t;
            });
            try {
                // biggest files first, so one large table does not start last
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) order.add(i);
                order.sort(Comparator.comparingLong((Integer i) -> -size(files.get(i))));
                List<Future<?>> done = new ArrayList<>();
                for (int i : order) done.add(pool.submit(() -> extract(files.get(i), parts.get(i), progress)));
                for (Future<?> f : done) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        Sink sink = new Sink();
        for (Sink s : parts) sink.addAll(s);
        return sink;
    }

    private static long size(CaptureFile f) {
        try {
            return Files.size(f.path());
        } catch (IOException e) {
            return 0;
        }
    }

    public void extract(CaptureFile f, Sink sink) { extract(f, sink, null); }

    private void extract(CaptureFile f, Sink sink, AtomicLong progress) {
        Sink.FileStats stats = sink.stats(f.name());
        try (InputStream in = Decompress.open(f.path(), progress)) {
            if (isBinary(in)) {
                sink.diagnostic(f.name(), 0, "warning", "binary data, not a text capture: skipped");
                stats.format = "binary";
                return;
            }
            Router r = new Router(f, sink);
            long lines = read(in, r, stats);
            r.finish(lines);
            if (lines == 0) sink.diagnostic(f.name(), 0, "warning", "empty file");
            if (Decompress.wasCut(in))
                sink.diagnostic(f.name(), lines, "error", "the compressed file ends early (cut short or corrupt); "
                        + lines + " lines were read before the cut and are used");
        } catch (IOException | RuntimeException e) {
            if (e instanceof RuntimeException re && strict()) throw re; // the fuzz harness: a reader's bug, not bad input
            // A damaged archive member or an unreadable file: keep what was read, say where it stopped.
            sink.diagnostic(f.name(), stats.lines, "error", (stats.lines == 0 ? "could not be read: " : "could not read to the end: ")
                    + dev.leakdx.capture.Failure.reason(e));
        } catch (OutOfMemoryError | StackOverflowError e) {
            // the JVM ran out: the run stops, saying in which file (dev.leakdx.capture.Failure)
            throw new ReadFailure(f.name() + (stats.lines > 0 ? ":" + stats.lines : "") + ": " + dev.leakdx.capture.Failure.reason(e), e);
        }
    }

    /**
     * With -Dleakdx.strict=true a runtime exception of a reader is thrown instead of becoming a
     * diagnostic: how the fuzz harness tells a reader's bug from input it rightly rejects.
     */
    static boolean strict() { return Boolean.getBoolean("leakdx.strict"); }

    /** A file whose reading exhausted the JVM (heap, stack): the message names it and the cause. */
    public static final class ReadFailure extends RuntimeException {
        ReadFailure(String message, Throwable cause) { super(message, cause); }
    }

    /** Puts blocks back to be read again, first {@code first}, then {@code later} in file order. */
    private static void giveBack(ByteBlocks.Block first, List<ByteBlocks.Block> later, Blocks blocks) {
        for (int i = later.size() - 1; i >= 0; i--) {
            later.get(i).keep = true; // a cancelled chunk may still be reading it
            blocks.again.addFirst(later.get(i));
        }
        blocks.again.addFirst(first);
    }

    /** Blocks of whole lines from the file, and blocks given back to be read again first. */
    private static final class Blocks {
        final ByteBlocks source;
        final ArrayDeque<ByteBlocks.Block> again = new ArrayDeque<>();

        Blocks(ByteBlocks source) { this.source = source; }

        ByteBlocks.Block next() throws IOException { return again.isEmpty() ? source.next() : again.poll(); }
    }

    /**
     * Reads the file's lines in order and routes them; while a page table is being read, its rows
     * go in chunks to {@link #chunks}. Line ends as in {@link dev.leakdx.capture.LineSource}:
     * LF, CRLF or a lone CR; a last line without one is a line; bad UTF-8 becomes U+FFFD.
     * Returns the number of lines.
     */
    private long read(InputStream in, Router r, Sink.FileStats stats) throws IOException {
        long maxLine = dev.leakdx.capture.Limits.LINE_BYTES.get();
        int keep = (int) Math.min(maxLine, Integer.MAX_VALUE - 16);
        Blocks blocks = new Blocks(new ByteBlocks(in, chunkBytes, maxLine));
        long no = 0;
        boolean inOrder = false; // the next line stopped a chunk: it is read in order
        ByteBlocks.Block b;
        outer:
        while ((b = blocks.next()) != null) {
            byte[] buf = b.buf;
            int pos = b.start;
            while (pos < b.end) {
                if (!inOrder && !b.inOrder && workers > 0) {
                    PageTableReader table = r.chunkable();
                    if (table != null) {
                        b.start = pos;
                        no = chunks(table, b, blocks, no, r, stats);
                        inOrder = true;
                        continue outer;
                    }
                }
                inOrder = false;
                int e = pos;
                while (e < b.end && buf[e] != '\n' && buf[e] != '\r') e++;
                boolean cut = e - pos > keep || (e == b.end && b.cutTail);
                int from = pos;
                // a UTF-8 byte order mark hides no format: dropped from the first line
                if (no == 0 && e - pos >= 3 && (buf[pos] & 0xff) == 0xef && (buf[pos + 1] & 0xff) == 0xbb && (buf[pos + 2] & 0xff) == 0xbf) from += 3;
                String text = new String(buf, from, Math.min(e - from, keep), StandardCharsets.UTF_8);
                stats.lines = ++no;
                if (cut) lineCut(r, no, keep);
                r.line(no, text);
                pos = e == b.end ? e : e + (buf[e] == '\r' && e + 1 < b.end && buf[e + 1] == '\n' ? 2 : 1);
            }
            blocks.source.recycle(b);
        }
        return no;
    }

    /** A line longer than the limit: its first bytes were read, the rest skipped; said with its file:line. */
    private static void lineCut(Router r, long no, int kept) {
        r.sink.diagnostic(r.file.name(), no, "warning", "line longer than " + dev.leakdx.facts.Units.bytes(kept)
                + " (limit leakdx.limit.line-bytes): only its first " + dev.leakdx.facts.Units.bytes(kept) + " are read");
    }

    /**
     * Reads a page table's rows in chunks, one block each, aggregated by the workers and merged in
     * file order. A line that is not a row (the next prompt, a header) stops its chunk: the rows
     * before it are merged, the blocks after it are given back to be read again from that line,
     * in order. Memory: a few blocks in flight and the groups. Returns the lines read.
     */
    private long chunks(PageTableReader table, ByteBlocks.Block first, Blocks blocks, long no, Router r, Sink.FileStats stats)
            throws IOException {
        record Task(ByteBlocks.Block block, Future<PageTableChunk> chunk) {}
        ArrayDeque<Task> inFlight = new ArrayDeque<>();
        ExecutorService pool = workers > 1 ? chunkPool() : null;
        int depth = workers > 1 ? workers + 2 : 1;
        ByteBlocks.Block next = first;
        boolean end = false;
        try {
            while (true) {
                while (!end && inFlight.size() < depth) {
                    if (next == null) next = blocks.next();
                    if (next == null) {
                        end = true;
                        break;
                    }
                    ByteBlocks.Block blk = next;
                    next = null;
                    Future<PageTableChunk> fut = pool != null ? pool.submit(() -> table.chunk(blk.buf, blk.start, blk.end))
                            : java.util.concurrent.CompletableFuture.completedFuture(table.chunk(blk.buf, blk.start, blk.end));
                    inFlight.add(new Task(blk, fut));
                }
                Task t = inFlight.poll();
                if (t == null) return no;
                PageTableChunk c;
                try {
                    c = t.chunk().get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
                if (!table.mergeable(c)) {
                    // read this block's lines one by one instead, then go on in chunks
                    t.block().inOrder = true;
                    giveBack(t.block(), inFlight.stream().map(Task::block).toList(), blocks);
                    inFlight.forEach(o -> o.chunk().cancel(false));
                    inFlight.clear();
                    return no;
                }
                table.merge(c, no);
                no += c.lines;
                r.rowsRead(c.lines);
                stats.lines = no;
                if (t.block().cutTail && c.stopAt < 0) lineCut(r, no, (int) Math.min(dev.leakdx.capture.Limits.LINE_BYTES.get(), Integer.MAX_VALUE));
                if (c.stopAt >= 0) {
                    // the chunks after this one assumed the table went on: read them again after the line that stopped it
                    t.block().start = c.stopAt;
                    giveBack(t.block(), inFlight.stream().map(Task::block).toList(), blocks);
                    inFlight.forEach(o -> o.chunk().cancel(false));
                    inFlight.clear();
                    return no;
                }
                blocks.source.recycle(t.block());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            for (Task o : inFlight) o.chunk().cancel(false);
        }
    }

    /**
     * A capture is text; NUL bytes (more than one, and more than 1 in 100) or mostly non-text bytes (more than 1 in 10)
     * in the first 8 KiB mean a binary file (a vmcore, an ELF, a picture) bundled by mistake. A stray
     * NUL in a text file (a log written at a crash) does not: its lines are read.
     */
    static boolean isBinary(InputStream in) throws IOException {
        in.mark(8192);
        byte[] head = in.readNBytes(8192);
        in.reset();
        int odd = 0, nul = 0;
        for (byte b : head) {
            int c = b & 0xff;
            if (c == 0) nul++;
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) odd++;
        }
        return head.length > 0 && ((nul > 1 && nul * 100 > head.length) || odd * 10 > head.length);
    }

    /** Per-file routing state. */
    private final class Router {
        private final CaptureFile file;
        private final Sink sink;
        private String command = "";
        private boolean inTranscript;
        private Section section;
        private SectionReader reader;
        private long sectionStart = 1, sectionLines, sniffed;
        private String pipelineValue;
        private boolean pipeline;
        /** Split at shell prompts ({@code $ cat /proc/meminfo}): a pasted terminal session. */
        private boolean inShell;
        /** The last shell prompt without its command ("admin proc #"): that line alone ends a section. */
        private String lastPrompt;
        /** Non-blank lines of the current section, and the prompt line that opened it (0: none). */
        private long sectionText, promptLine;
        private final PasteSeries series = new PasteSeries();
        private final int factStart;

        Router(CaptureFile file, Sink sink) {
            this.file = file;
            this.sink = sink;
            this.factStart = sink.facts().size();
        }

        /** The page table being read, when its rows can be read in chunks from here on. */
        PageTableReader chunkable() {
            return !pipeline && reader instanceof PageTableReader t && t.chunkable() ? t : null;
        }

        /** Rows read in chunks count as lines of the section. */
        void rowsRead(long n) { sectionLines += n; }

        /**
         * Cheap test before the prompt and marker patterns: a prompt has $, #, %, > or ], a bare
         * command starts with a letter, a date/uptime line has a colon. Most lines of a big
         * /proc file (digits, names, kB) are none of these early on.
         */
        private boolean mayBePrompt(String text) {
            int n = Math.min(text.length(), 120);
            for (int i = 0; i < n; i++) {
                char ch = text.charAt(i);
                if (ch == '$' || ch == '#' || ch == '%' || ch == '>' || ch == ']' || ch == ':') return true;
            }
            return !text.isEmpty() && (lastPrompt != null || Character.isLetter(text.strip().isEmpty() ? ' ' : text.strip().charAt(0)));
        }

        void line(long no, String raw) {
            // a mail client's quoting ("> ", ">> ") is not part of the capture; the line keeps its number
            String text = !raw.isEmpty() && raw.charAt(0) == '>' ? MAIL_QUOTE.matcher(raw).replaceFirst("") : raw;
            if (!inTranscript && CODE_FENCE.matcher(text).matches()) text = "";
            if (!inTranscript && mayBePrompt(text) && !PROMPT.matcher(text).matches()) {
                Matcher sp = SHELL_PROMPT.matcher(text);
                boolean bare = lastPrompt != null && text.strip().equals(lastPrompt);
                if (!sp.matches() && !bare && (reader == null || !reader.accepts(text))) sp = BARE_COMMAND.matcher(text);
                if (sp.matches() || bare) {
                    close(no - 1);
                    inShell = true;
                    // the prompt alone (the paste ends at the next prompt) closes the section
                    command = bare ? "" : sp.group("cmd").strip();
                    if (!bare && sp.pattern() == SHELL_PROMPT) lastPrompt = text.substring(0, sp.start("cmd")).strip();
                    promptLine = no;
                    sectionStart = no + 1;
                    sniffed = 0;
                    return;
                }
                if (PasteSeries.isMarker(text)) {
                    // date / uptime between readings: the next readings are a later snapshot
                    series.marker(no, text);
                    if (reader != null && !(reader instanceof ProcessMemoryReader)) {
                        close(no - 1);
                        sectionStart = no + 1;
                        sniffed = 0;
                    }
                    return;
                }
            }
            Matcher p = PROMPT.matcher(text);
            if (p.matches()) {
                close(no - 1);
                inTranscript = true;
                command = p.group(1).strip();
                sectionStart = no + 1;
                sectionLines = 0;
                sectionText = 0;
                sniffed = 0;
                pipeline = WC_L.matcher(command).find();
                pipelineValue = null;
                if (!pipeline && !command.isEmpty()) {
                    ExtractorSpec spec = registry.forCommand(Section.baseOf(command));
                    if (spec != null) start(spec, no + 1);
                }
                return;
            }
            sectionLines++;
            if (!text.isBlank()) sectionText++;
            if (pipeline) {
                if (pipelineValue == null && text.strip().matches("\\d+")) pipelineValue = text.strip();
                else if (!text.isBlank()) sink.skipped(file.name(), no, text);
                return;
            }
            if (reader != null) {
                if (!inTranscript && !text.isBlank() && !reader.accepts(text)) {
                    // another output pasted right after this one, without a prompt between them
                    ExtractorSpec next = registry.forHeader(text);
                    if (next != null && next != section.spec()) {
                        sectionLines--;
                        sectionText--;
                        close(no - 1);
                        sectionStart = no;
                        sectionLines = 1;
                        sectionText = 1;
                        start(next, no);
                        reader.line(no, text);
                        return;
                    }
                }
                reader.line(no, text);
                return;
            }
            if (!text.isBlank() && sniffed++ < SNIFF_LINES) {
                ExtractorSpec spec = registry.forHeader(text);
                if (spec != null) {
                    start(spec, no);
                    reader.line(no, text);
                }
            }
        }

        private void start(ExtractorSpec spec, long first) {
            section = new Section(spec, file.name(), file.host(), file.snapshot(), command, first);
            reader = Readers.create(section, sink);
            Sink.FileStats s = sink.stats(file.name());
            if (s.format.isEmpty()) s.format = spec.id();
            else if (!s.format.contains(spec.id()) && !s.format.equals("crash transcript")) s.format = inTranscript ? "crash transcript" : s.format + "+" + spec.id();
        }

        void close(long last) {
            Provenance where = new Provenance(file.name(), Math.max(1, sectionStart), Math.max(sectionStart, last), file.host(), file.snapshot(), command);
            if (reader != null) {
                try {
                    reader.end(last);
                } catch (RuntimeException e) {
                    if (strict()) throw e;
                    sink.diagnostic(file.name(), last, "error", section.spec().id() + ": " + dev.leakdx.capture.Failure.reason(e));
                }
                sink.fact(new CommandRun(command, section.spec().id(), last - section.firstLine() + 1, where));
            } else if (pipeline && pipelineValue != null) {
                String base = Section.baseOf(command);
                String filters = command.substring(command.indexOf('|') + 1).replaceAll("\\|\\s*wc\\s+-l\\s*$", "").strip();
                sink.fact(new PipelineCount(base, filters, Long.parseLong(pipelineValue), where));
                sink.fact(new CommandRun(command, "pipeline-count", sectionLines, where));
            } else if (inTranscript && !command.isEmpty() || sectionText > 0) {
                sink.fact(new CommandRun(command, "unknown", sectionLines, where));
                if (inShell && !command.isEmpty())
                    sink.diagnostic(file.name(), promptLine, "info", "output of `" + command + "` (lines " + where.firstLine() + "-"
                            + where.lastLine() + "): format not recognised; " + sectionText + " lines not read");
                else if (!inTranscript) sink.diagnostic(file.name(), where.firstLine(), "info", "format not recognised; " + sectionText
                        + " lines not read (lines " + where.firstLine() + "-" + where.lastLine() + ")");
            }
            reader = null;
            section = null;
            sectionLines = 0;
            sectionText = 0;
        }

        /** At the end of the file: close the last section, then read repeated readings as a series. */
        void finish(long lines) {
            close(lines);
            if (!inTranscript) series.finish(sink, factStart, file.name(), file.snapshot().isEmpty());
        }
    }
}
