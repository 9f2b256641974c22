package dev.leakdx.extract;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Creates the reader a spec names. Only formats whose shape is not line-by-line need Java. */
final class Readers {
    private static final Map<String, LinesReader.Compiled> COMPILED = new ConcurrentHashMap<>();

    private Readers() {}

    static void validate(ExtractorSpec spec) throws IOException {
        if (spec.reader().equals("lines")) COMPILED.put(spec.origin() + "#" + spec.id(), LinesReader.compile(spec));
    }

    static SectionReader create(Section section, Sink sink) {
        ExtractorSpec spec = section.spec();
        return switch (spec.reader()) {
            case "lines" -> new LinesReader(section, sink, COMPILED.computeIfAbsent(spec.origin() + "#" + spec.id(), k -> {
                try {
                    return LinesReader.compile(spec);
                } catch (IOException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }));
            case "page-table" -> new PageTableReader(section, sink);
            case "struct" -> new StructReader(section, sink);
            case "raw-memory" -> new RawMemoryReader(section, sink);
            case "process-memory" -> new ProcessMemoryReader(section, sink);
            case "zoneinfo" -> new ZoneInfoReader(section, sink);
            case "page-types-list" -> new PageTypesListReader(section, sink);
            case "ps-table" -> new PsTableReader(section, sink);
            case "numastat" -> new NumastatReader(section, sink);
            case "pagetypeinfo" -> new PageTypeInfoReader(section, sink);
            case "sysfs-hugepages" -> new SysfsHugePagesReader(section, sink);
            case "free" -> new FreeReader(section, sink);
            default -> throw new IllegalStateException("unknown reader " + spec.reader());
        };
    }
}
