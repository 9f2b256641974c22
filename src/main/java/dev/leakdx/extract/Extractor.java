package dev.leakdx.extract;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureFile;
import dev.leakdx.capture.Decompress;
import dev.leakdx.capture.LineSource;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.PipelineCount;
import dev.leakdx.facts.Provenance;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    /** How far into an unrecognised section we look for a known header. */
    private static final int SNIFF_LINES = 40;

    private final ExtractorRegistry registry;

    public Extractor(ExtractorRegistry registry) { this.registry = registry; }

    /**
     * Files are independent, so they are read in parallel (one per core: decompressing and
     * aggregating a big page table is CPU-bound) and their results merged in capture order,
     * so the output does not depend on scheduling.
     */
    public Sink extract(Capture capture) {
        List<CaptureFile> files = capture.files();
        List<Sink> parts = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) parts.add(new Sink());
        int threads = Math.min(files.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (threads <= 1) {
            for (int i = 0; i < files.size(); i++) extract(files.get(i), parts.get(i));
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
                for (int i : order) done.add(pool.submit(() -> extract(files.get(i), parts.get(i))));
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

    public void extract(CaptureFile f, Sink sink) {
        Sink.FileStats stats = sink.stats(f.name());
        try (InputStream in = Decompress.open(f.path())) {
            if (isBinary(in)) {
                sink.diagnostic(f.name(), 0, "warning", "binary data, not a text capture: skipped");
                stats.format = "binary";
                return;
            }
            LineSource src = new LineSource(in);
            Router r = new Router(f, sink);
            String line;
            while ((line = src.next()) != null) {
                stats.lines = src.lineNo();
                r.line(src.lineNo(), line);
            }
            r.close(src.lineNo());
            if (src.lineNo() == 0) sink.diagnostic(f.name(), 0, "warning", "empty file");
            if (Decompress.wasCut(in))
                sink.diagnostic(f.name(), src.lineNo(), "error", "the compressed file ends early (cut short or corrupt); "
                        + src.lineNo() + " lines were read before the cut and are used");
        } catch (IOException | RuntimeException e) {
            // A damaged archive member or an unreadable file: keep what was read, say where it stopped.
            sink.diagnostic(f.name(), stats.lines, "error", "could not read to the end: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /**
     * A capture is text; a NUL byte or mostly non-text bytes in the first 8 KiB mean a binary
     * file (a vmcore, an ELF, a picture) that was bundled by mistake.
     */
    static boolean isBinary(InputStream in) throws IOException {
        in.mark(8192);
        byte[] head = in.readNBytes(8192);
        in.reset();
        int odd = 0;
        for (byte b : head) {
            int c = b & 0xff;
            if (c == 0) return true;
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) odd++;
        }
        return head.length > 0 && odd * 10 > head.length;
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

        Router(CaptureFile file, Sink sink) {
            this.file = file;
            this.sink = sink;
        }

        void line(long no, String text) {
            Matcher p = PROMPT.matcher(text);
            if (p.matches()) {
                close(no - 1);
                inTranscript = true;
                command = p.group(1).strip();
                sectionStart = no + 1;
                sectionLines = 0;
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
            if (pipeline) {
                if (pipelineValue == null && text.strip().matches("\\d+")) pipelineValue = text.strip();
                else if (!text.isBlank()) sink.skipped(file.name(), no, text);
                return;
            }
            if (reader != null) {
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
                    sink.diagnostic(file.name(), last, "error", section.spec().id() + ": " + e.getMessage());
                }
                sink.fact(new CommandRun(command, section.spec().id(), last - section.firstLine() + 1, where));
            } else if (pipeline && pipelineValue != null) {
                String base = Section.baseOf(command);
                String filters = command.substring(command.indexOf('|') + 1).replaceAll("\\|\\s*wc\\s+-l\\s*$", "").strip();
                sink.fact(new PipelineCount(base, filters, Long.parseLong(pipelineValue), where));
                sink.fact(new CommandRun(command, "pipeline-count", sectionLines, where));
            } else if (inTranscript && !command.isEmpty() || sectionLines > 0) {
                sink.fact(new CommandRun(command, "unknown", sectionLines, where));
                if (!inTranscript) sink.diagnostic(file.name(), 0, "info", "format not recognised; " + sectionLines + " lines not read");
            }
            reader = null;
            section = null;
            if (!inTranscript) return;
            sectionLines = 0;
        }
    }
}
