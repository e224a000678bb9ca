package vn.zalogateway.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The java that runs the packaged gateway in tests and benchmarks. */
public final class Jdk {

    private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private Jdk() {
    }

    /** Temurin 25 where it is installed (what we ship and benchmark), else the JDK running the tests. */
    public static String java() {
        return Files.isExecutable(TEMURIN_25) ? TEMURIN_25.toString()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
