package vn.zalogateway.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * What tests share lives in {@code vn.zalogateway.support}: no source under src/test/java imports a static member
 * of another test class, calls its static methods, reads its constants or makes an instance of it. A test class
 * is one named {@code *Test}, {@code *IT} or {@code *Benchmark}, or one that declares a test, anywhere but in
 * support/. A source scan (comments and string literals left out): it fails on the first such dependency.
 */
class TestHelpersTest {

    static final Path TESTS = Path.of("src/test/java");
    static final Path SUPPORT = TESTS.resolve("vn/zalogateway/support");

    static final Pattern TEST_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*(?:Test|IT|Benchmark)");
    static final Pattern DECLARES_A_TEST = Pattern.compile(
            "@(?:org\\.junit\\.jupiter\\.api\\.|org\\.junit\\.jupiter\\.params\\.)?(?:Test|ParameterizedTest|RepeatedTest|TestFactory|FuzzTest)\\b");
    static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(?s:.*?)\"\"\"");
    static final Pattern COMMENT_OR_STRING = Pattern.compile(
            "/\\*(?s:.*?)\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'");

    record Use(String file, String what) {
    }

    @Test
    void noTestUsesAnotherTestsHelpers() {
        Map<String, String> sources = sources();
        Set<String> testClasses = testClasses(sources);
        assertThat(testClasses).as("the scan finds the test classes (it would pass vacuously otherwise)")
                .contains("MessageResourceTest", "CrashFaultIT", "MessageAcceptBenchmark", "TestHelpersTest");
        assertThat(uses(sources, testClasses)).as("statics of a test class used elsewhere: move them to support/").isEmpty();
    }

    /** The scan itself: what it must find, and what it must let be. */
    @Test
    void theScanFindsEachKindOfUseAndOnlyThose() {
        Map<String, String> sources = Map.of(
                "a/OneTest.java", """
                        package a;
                        import static b.OtherTest.send;
                        import static b.OtherTest.*;
                        class OneTest {
                            @Test void t() { OtherTest.awaitStatus("x"); var key = b.OtherTest.KEY; var c = OtherTest.Phase.now(); }
                            Object o = new OtherBenchmark();
                        }""",
                "b/OtherTest.java", """
                        package b;
                        // OneTest.helper() in a comment, and "OneTest.KEY" in a string, use nothing
                        class OtherTest {
                            @TestProfile(OtherTest.Profile.class) static String KEY = OtherTest.key();
                            static String key() { return Helper.value() + Messages.send(); }
                        }""",
                "b/OtherBenchmark.java", "package b; class OtherBenchmark { @Test void run() { } }",
                "b/Helper.java", "package b; final class Helper { static String value() { return OtherTestish.x(); } }",
                "vn/zalogateway/support/Messages.java", "package vn.zalogateway.support; public final class Messages { }");
        Set<String> testClasses = testClasses(sources);
        assertThat(testClasses).containsExactlyInAnyOrder("OneTest", "OtherTest", "OtherBenchmark");
        assertThat(uses(sources, testClasses)).extracting(Use::what).containsExactly(
                "import static b.OtherTest.send", "import static b.OtherTest.*", "OtherTest.awaitStatus(", "OtherTest.KEY",
                "OtherTest.Phase.now(", "new OtherBenchmark(");
    }

    /** The simple names of the test classes: by name or by what they declare, outside support/. */
    static Set<String> testClasses(Map<String, String> sources) {
        return sources.entrySet().stream().filter(source -> !inSupport(source.getKey()))
                .filter(source -> TEST_NAME.matcher(simpleName(source.getKey())).matches()
                        || DECLARES_A_TEST.matcher(code(source.getValue())).find())
                .map(source -> simpleName(source.getKey())).collect(Collectors.toSet());
    }

    /** Every use, in one source, of another test class's static members or constructor. */
    static List<Use> uses(Map<String, String> sources, Set<String> testClasses) {
        String names = String.join("|", testClasses);
        Pattern staticImport = Pattern.compile("^import\\s+static\\s+[\\w.]*?\\b(" + names + ")\\.[\\w*]+\\s*;", Pattern.MULTILINE);
        Pattern staticUse = Pattern.compile("(?<![\\w$])(" + names + ")\\.(?:[a-z]\\w*\\s*\\(|[A-Z][A-Z0-9_]*\\b(?![.(])|[A-Z]\\w*\\.[a-z]\\w*\\s*\\()");
        Pattern instance = Pattern.compile("\\bnew\\s+(?:[a-z]\\w*\\.)*(" + names + ")\\s*\\(");
        List<Use> uses = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            String self = simpleName(source.getKey());
            String code = code(source.getValue());
            for (Pattern pattern : List.of(staticImport, staticUse, instance)) {
                Matcher use = pattern.matcher(code);
                while (use.find()) {
                    if (!use.group(1).equals(self)) {
                        uses.add(new Use(source.getKey(), use.group().replaceAll("\\s+", " ").replaceAll(" ?;$", "")));
                    }
                }
            }
        }
        return uses;
    }

    /** The source without its comments and string literals (what is written there uses nothing). */
    static String code(String source) {
        String withoutBlocks = TEXT_BLOCK.matcher(source).replaceAll("\"\"");
        return COMMENT_OR_STRING.matcher(withoutBlocks).replaceAll(match -> match.group().startsWith("\"") ? "\"\"" : " ");
    }

    static boolean inSupport(String file) {
        return Path.of(file).startsWith(TESTS.relativize(SUPPORT)) || Path.of(file).startsWith(SUPPORT);
    }

    static String simpleName(String file) {
        String name = Path.of(file).getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    static Map<String, String> sources() {
        try (Stream<Path> files = Files.walk(TESTS)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .collect(Collectors.toMap(file -> TESTS.relativize(file).toString(), TestHelpersTest::read));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
