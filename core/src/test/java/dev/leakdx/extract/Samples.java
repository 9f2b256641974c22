package dev.leakdx.extract;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.Provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Test helper: the sample captures under core/src/test/resources/samples (see samples/README.md for
 * which are cut from the lab captures and which are built), the packed extractor specs, and
 * what one extraction produced.
 */
public final class Samples {
    private static ExtractorRegistry registry;

    private Samples() {}

    /** The specs packed in the build (target/classes/leakdx/facts-extractors), loaded once. */
    public static synchronized ExtractorRegistry registry() {
        if (registry == null) {
            try {
                registry = ExtractorRegistry.load(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return registry;
    }

    public static Path path(String name) {
        URL url = Samples.class.getResource("/samples/" + name);
        assertNotNull(url, "missing test sample samples/" + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(String name) {
        try {
            return Files.readString(path(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Extracts one file as a one-file capture (the file is cited by its own name). */
    public static Result extract(Path file) {
        try (Capture c = CaptureOpener.open(file)) {
            return extract(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result extract(String sample) { return extract(path(sample)); }

    public static Result extract(Capture c) {
        Sink sink = new Extractor(registry()).extract(c);
        return new Result(c, sink);
    }

    /** Writes text to dir/name and extracts it. */
    public static Result extractText(Path dir, String name, String text) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return extract(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result extractBytes(Path dir, String name, byte[] bytes) {
        try {
            Path f = dir.resolve(name);
            Files.write(f, bytes);
            return extract(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one extraction produced. */
    public record Result(Capture capture, Sink sink) {
        public List<Fact> facts() { return sink.facts(); }

        public List<Diagnostic> diagnostics() { return sink.diagnostics(); }

        public <T extends Fact> List<T> of(Class<T> type) {
            return sink.facts().stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
        }

        public <T extends Fact> List<T> of(Class<T> type, Predicate<T> p) {
            return of(type).stream().filter(p).collect(Collectors.toList());
        }

        public <T extends Fact> T one(Class<T> type, Predicate<T> p) {
            List<T> l = of(type, p);
            assertEquals(1, l.size(), "expected exactly one " + type.getSimpleName() + " matching, got " + l);
            return l.get(0);
        }

        public Sink.FileStats stats(String file) {
            Sink.FileStats s = sink.fileStats().get(file);
            assertNotNull(s, "no stats for " + file + " (have " + sink.fileStats().keySet() + ")");
            return s;
        }

        public List<Diagnostic> diagnostics(String level) {
            return sink.diagnostics().stream().filter(d -> d.level().equals(level)).collect(Collectors.toList());
        }

        /** Facts as comparable strings, file names reduced by {@code fileName}. */
        public List<String> signatures(java.util.function.Function<String, String> fileName) {
            List<String> out = new ArrayList<>();
            for (Fact f : sink.facts()) out.add(signature(f, fileName));
            return out;
        }
    }

    /**
     * A fact as text, independent of where the capture was unpacked: every record component,
     * maps sorted (Map.copyOf has no stable order), the provenance as normalised file, lines,
     * host, snapshot and command.
     */
    public static String signature(Fact f, java.util.function.Function<String, String> fileName) {
        StringBuilder b = new StringBuilder(f.getClass().getSimpleName()).append('[');
        for (RecordComponent rc : f.getClass().getRecordComponents()) {
            Object v;
            try {
                v = rc.getAccessor().invoke(f);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v instanceof Map<?, ?> m) v = new TreeMap<>(m);
            if (v instanceof Provenance p)
                v = fileName.apply(p.file()) + ":" + p.firstLine() + "-" + p.lastLine() + "|host=" + p.host() + "|snap=" + p.snapshot()
                        + "|cmd=" + p.command();
            b.append(rc.getName()).append('=').append(v).append(';');
        }
        return b.append(']').toString();
    }
}
