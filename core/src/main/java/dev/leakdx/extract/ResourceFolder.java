package dev.leakdx.extract;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The text files of a knowledge folder ({@code rules/}, {@code facts-extractors/}): either a
 * folder on disk given by the user, or the copy packed on the classpath under
 * {@code leakdx/NAME/}. Sorted by name so loading is deterministic.
 */
public final class ResourceFolder {
    public record Item(String name, String origin, String text) {}

    private ResourceFolder() {}

    public static List<Item> read(Path dir, String classpathFolder, String suffix) throws IOException {
        if (dir != null) return fromDisk(dir, suffix);
        URL url = ResourceFolder.class.getClassLoader().getResource("leakdx/" + classpathFolder);
        if (url == null) throw new IOException("the build packs no leakdx/" + classpathFolder + " (run mvn package)");
        if ("file".equals(url.getProtocol())) {
            try {
                List<Item> items = fromDisk(Path.of(url.toURI()), suffix);
                // cite the source tree, not target/classes, when running from a checkout
                List<Item> out = new ArrayList<>();
                for (Item i : items) out.add(new Item(i.name(), classpathFolder + "/" + i.name(), i.text()));
                return out;
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        }
        TreeMap<String, Item> items = new TreeMap<>();
        JarURLConnection c = (JarURLConnection) url.openConnection();
        // A private JarFile: the cached one is shared with class and resource loading on other threads
        // (the rules load while the extractor specs do), and closing it under them fails their reads.
        c.setUseCaches(false);
        try (JarFile jar = c.getJarFile()) {
            String prefix = "leakdx/" + classpathFolder + "/";
            Enumeration<JarEntry> en = jar.entries();
            while (en.hasMoreElements()) {
                JarEntry e = en.nextElement();
                if (e.isDirectory() || !e.getName().startsWith(prefix) || !e.getName().endsWith(suffix)) continue;
                String name = e.getName().substring(prefix.length());
                try (InputStream in = jar.getInputStream(e)) {
                    items.put(name, new Item(name, classpathFolder + "/" + name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
                }
            }
        }
        return new ArrayList<>(items.values());
    }

    private static List<Item> fromDisk(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + " is not a folder");
        List<Item> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList()) {
                String name = dir.relativize(p).toString().replace('\\', '/');
                out.add(new Item(name, p.toString(), Files.readString(p)));
            }
        }
        return out;
    }
}
