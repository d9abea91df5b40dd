package dev.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Imports run down the layers only: a package uses packages of lower layers, never one of its own layer or above
 * (issue 13). Read from the sources, so a new edge fails here before it is noticed in a review.
 */
class PackageLayersTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/relay");
    /** The layer of each package under dev.relay (sub-packages count as their top package), bottom first. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("failure", 0),
            Map.entry("config", 1),
            Map.entry("store", 2),
            Map.entry("account", 3), Map.entry("usage", 3),
            Map.entry("auth", 4),
            Map.entry("scheduler", 5),
            Map.entry("gateway", 6), Map.entry("relay", 6), Map.entry("health", 6), Map.entry("local", 6),
            Map.entry("admin", 6));
    /** Back edges that other parts of issue 13 remove; delete a line once its edge is gone. */
    private static final Set<String> NOT_YET_MOVED = Set.of(
            "store -> auth", // ApiKeyStore uses auth.ApiKey and ApiKeyCodec
            "auth -> relay", // RelayFailure, ClaudeUserId
            "scheduler -> relay"); // RelayFailure, ClaudeUserId
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.relay\\.([a-z]+)\\.");

    @Test
    void packagesImportOnlyFromLowerLayers() throws IOException {
        Set<String> upward = new TreeSet<>();
        for (Path file : sources()) {
            String from = SOURCES.relativize(file).getName(0).toString();
            for (String to : references(file)) {
                if (!to.equals(from) && layer(to, file) >= layer(from, file)) {
                    upward.add(from + " -> " + to + " (" + SOURCES.relativize(file) + ")");
                }
            }
        }
        upward.removeIf(edge -> NOT_YET_MOVED.contains(edge.substring(0, edge.indexOf(" ("))));
        assertEquals(Set.of(), upward, "imports that do not run down the layers");
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java") && SOURCES.relativize(f).getNameCount() > 1)
                    .toList();
        }
    }

    /** The packages a file uses in code (imports and qualified names), leaving out comments. */
    private static Set<String> references(Path file) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            String code = line.strip();
            if (code.startsWith("package ") || code.startsWith("*") || code.startsWith("/*")
                    || code.startsWith("//")) {
                continue;
            }
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static int layer(String pkg, Path file) {
        Integer layer = LAYERS.get(pkg);
        if (layer == null) {
            throw new AssertionError("package dev.relay." + pkg + " (" + file + ") has no layer: add it to "
                    + "PackageLayersTest.LAYERS");
        }
        return layer;
    }
}
