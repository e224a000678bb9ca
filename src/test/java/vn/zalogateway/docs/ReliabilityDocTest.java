package vn.zalogateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/RELIABILITY.md says how each guarantee is checked, by naming tests. A test it names must exist, or the
 * claim is checked by nothing: every {@code SomeTest}, {@code SomeIT}, {@code SomeBenchmark} and
 * {@code SomeTest.someMethod} (or {@code #someMethod}) it names in backticks is a class under src/test/java, with
 * that method; every source path it names is a file; every {@code feature/Class} of the application is one.
 */
class ReliabilityDocTest {

    static final Path DOC = Path.of("docs/RELIABILITY.md");
    static final Path TESTS = Path.of("src/test/java");
    static final Path MAIN = Path.of("src/main/java/vn/zalogateway");

    static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
    static final Pattern TEST_REFERENCE = Pattern.compile("([A-Z][A-Za-z0-9]*(?:Test|IT|Benchmark))(?:[.#]([a-z][A-Za-z0-9]*))?");
    static final Pattern APPLICATION_CLASS = Pattern.compile("[a-z]+(?:/[a-z]+)*/[A-Z][A-Za-z0-9]*");
    static final Pattern SOURCE_PATH = Pattern.compile("src/[^\\s`]+");

    @Test
    void everyTestTheDocNamesExists() throws Exception {
        List<String> missing = new ArrayList<>();
        Map<String, List<Path>> testClasses = testClassesBySimpleName();
        int tests = 0;
        for (String code : codeSpans()) {
            Matcher reference = TEST_REFERENCE.matcher(code);
            if (!reference.matches()) {
                continue;
            }
            tests++;
            List<Path> files = testClasses.getOrDefault(reference.group(1), List.of());
            if (files.size() != 1) {
                missing.add(code + (files.isEmpty() ? ": no such class under src/test/java" : ": ambiguous, " + files));
                continue;
            }
            String method = reference.group(2);
            if (method != null && !declares(className(files.get(0)), method)) {
                missing.add(code + ": " + reference.group(1) + " has no method " + method);
            }
        }
        assertThat(tests).as("tests named by the doc").isGreaterThan(20);
        assertThat(missing).as("tests docs/RELIABILITY.md names that do not exist").isEmpty();
    }

    @Test
    void everyFileAndApplicationClassTheDocNamesExists() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String code : codeSpans()) {
            Matcher path = SOURCE_PATH.matcher(code);
            while (path.find()) {
                if (!exists(path.group())) {
                    missing.add(path.group());
                }
            }
            if (APPLICATION_CLASS.matcher(code).matches() && !Files.isRegularFile(MAIN.resolve(code + ".java"))) {
                missing.add(code + " (src/main/java/vn/zalogateway/" + code + ".java)");
            }
        }
        assertThat(missing).as("files docs/RELIABILITY.md names that do not exist").isEmpty();
    }

    /** The method is declared by the class (any visibility), or by one it extends. */
    private static boolean declares(String className, String method) throws ClassNotFoundException {
        for (Class<?> type = Class.forName(className, false, ReliabilityDocTest.class.getClassLoader()); type != null;
                type = type.getSuperclass()) {
            if (Arrays.stream(type.getDeclaredMethods()).map(Method::getName).anyMatch(method::equals)) {
                return true;
            }
        }
        return false;
    }

    /** A path, or a glob ({@code bench/*FaultIT.java}) that matches at least one file. */
    private static boolean exists(String path) throws IOException {
        String trimmed = path.replaceAll("[.,;:)]+$", "");
        if (!trimmed.contains("*")) {
            return Files.exists(Path.of(trimmed));
        }
        Path folder = Path.of(trimmed).getParent();
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + trimmed);
        try (Stream<Path> files = Files.list(folder)) {
            return files.anyMatch(glob::matches);
        }
    }

    private static List<String> codeSpans() throws IOException {
        Matcher span = CODE.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
        List<String> spans = new ArrayList<>();
        while (span.find()) {
            spans.add(span.group(1).strip());
        }
        return spans;
    }

    private static Map<String, List<Path>> testClassesBySimpleName() {
        try (Stream<Path> files = Files.walk(TESTS)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .collect(Collectors.groupingBy(file -> file.getFileName().toString().replace(".java", "")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String className(Path source) {
        String relative = TESTS.relativize(source).toString();
        return relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
    }
}
