package dev.leakdx.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain resource template with placeholder substitution and nothing else: {@code {{name}}} is
 * replaced by the value HTML-escaped, {@code {{{name}}}} by the value as it is (markup the view
 * model already built). No loops, conditions or expressions: the view model decides, the template
 * only lays out. No template library is served to this offline build, and one this small needs
 * none. A placeholder without a value, or a value without a placeholder, is an error, so a
 * renamed field cannot silently vanish from the page.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\{?)([a-zA-Z][a-zA-Z0-9]*)\\}\\}(\\}?)");

    private final String name, text;
    private final Set<String> names = new LinkedHashSet<>();

    private Template(String name, String text) {
        this.name = name;
        this.text = text;
        for (Matcher m = PLACEHOLDER.matcher(text); m.find(); ) {
            if (m.group(1).isEmpty() != m.group(3).isEmpty()) throw new IllegalStateException(name + ": unbalanced braces at " + m.group());
            names.add(m.group(2));
        }
    }

    /** A template from the classpath, next to this class (dev/leakdx/report/NAME). */
    public static Template resource(String resource) {
        return new Template(resource, text(resource));
    }

    /** A resource's text, UTF-8. */
    static String text(String resource) {
        try (InputStream in = Template.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource dev/leakdx/report/" + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The placeholders, in the order they first appear. */
    public Set<String> names() { return names; }

    /** The text with every placeholder filled; every placeholder must have a value and every value a placeholder. */
    public String fill(Map<String, String> values) {
        for (String n : names) if (!values.containsKey(n)) throw new IllegalArgumentException(name + ": no value for {{" + n + "}}");
        for (String k : values.keySet()) if (!names.contains(k)) throw new IllegalArgumentException(name + ": no placeholder for " + k);
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder b = new StringBuilder(text.length() * 4);
        while (m.find()) {
            String v = values.get(m.group(2));
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1).isEmpty() ? HtmlReport.esc(v) : v));
        }
        m.appendTail(b);
        return b.toString();
    }
}
