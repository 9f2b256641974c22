package dev.leakdx.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One fleet question: a Spark SQL file over the views {@code captures} and {@code verdicts}, with its
 * title, what it answers, and how to chart it, in comment lines at its top:
 * <pre>
 * -- title: Verdict rates by kernel release and architecture
 * -- about: For each leak code, ...           (one or more lines)
 * -- chart: bar label=kernel_release,code value=lift
 * SELECT ...
 * </pre>
 * The packed questions are fleet/sql/*.sql (in the jar under dev/leakdx/fleet/sql/); a user copies
 * that folder, edits or adds files, and runs {@code fleet-report --sql DIR}.
 */
record FleetQuery(String file, String title, String about, List<String> chartLabels, String chartValue, String sql) {
    static final String PACKED = "dev/leakdx/fleet/sql";

    static FleetQuery parse(String file, String text) {
        String title = file, chartValue = null;
        StringBuilder about = new StringBuilder();
        List<String> labels = List.of();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("--")) continue;
            String c = l.substring(2).strip();
            if (c.startsWith("title:")) title = c.substring(6).strip();
            else if (c.startsWith("about:")) about.append(about.length() > 0 ? " " : "").append(c.substring(6).strip());
            else if (c.startsWith("chart:")) {
                for (String part : c.substring(6).strip().split("\\s+")) {
                    if (part.startsWith("label=")) labels = List.of(part.substring(6).split(","));
                    else if (part.startsWith("value=")) chartValue = part.substring(6);
                }
            }
        }
        String sql = text.strip();
        while (sql.endsWith(";")) sql = sql.substring(0, sql.length() - 1).strip();   // Spark's sql() takes one statement, no terminator
        return new FleetQuery(file, title, about.toString(), labels, chartValue, sql);
    }

    /** The questions of {@code dir} (its *.sql files, by name), or the packed ones when {@code dir} is null. */
    static List<FleetQuery> load(Path dir) throws IOException {
        if (dir != null) {
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--sql " + dir + ": not a folder");
            List<FleetQuery> out = read(dir);
            if (out.isEmpty()) throw new IllegalArgumentException("--sql " + dir + ": no .sql file in that folder");
            return out;
        }
        URL url = FleetQuery.class.getClassLoader().getResource(PACKED);
        if (url == null) throw new IllegalStateException("the packed fleet questions (" + PACKED + ") are not in the jar");
        try {
            if (url.getProtocol().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(url.toURI(), Map.of())) {
                    return read(fs.getPath(PACKED));
                }
            }
            return read(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static List<FleetQuery> read(Path dir) throws IOException {
        List<FleetQuery> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.getFileName().toString().endsWith(".sql")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    out.add(parse(p.getFileName().toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }
}
