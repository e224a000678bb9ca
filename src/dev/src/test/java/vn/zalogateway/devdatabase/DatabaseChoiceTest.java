package vn.zalogateway.devdatabase;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseChoiceTest {

    @ParameterizedTest(name = "dev/test {0}, url {1}, dev services {2}, docker {3}, embedded {4} -> {5}")
    @CsvSource({
            // a configured URL wins everywhere
            "true,  true,  true,  true,  true,  CONFIGURED",
            "false, true,  true,  true,  true,  CONFIGURED",
            // a packaged build starts nothing
            "false, false, true,  true,  true,  NONE",
            "false, false, true,  false, true,  NONE",
            // dev and test: Dev Services when Docker answers, else the embedded server
            "true,  false, true,  true,  true,  DEV_SERVICES",
            "true,  false, true,  false, true,  EMBEDDED",
            "true,  false, false, true,  true,  EMBEDDED",
            "true,  false, true,  false, false, NONE" })
    void followsTheDocumentedOrder(boolean devOrTest, boolean url, boolean devServices, boolean docker, boolean embedded,
            DatabaseChoice expected) {
        assertThat(DatabaseChoice.of(devOrTest, url, devServices, () -> docker, embedded)).isEqualTo(expected);
    }

    @Test
    void dockerIsAskedOnlyWhenItDecides() {
        AtomicBoolean asked = new AtomicBoolean();
        DatabaseChoice.of(true, true, true, () -> asked.getAndSet(true), true);
        DatabaseChoice.of(false, false, true, () -> asked.getAndSet(true), true);
        DatabaseChoice.of(true, false, false, () -> asked.getAndSet(true), true);
        assertThat(asked).isFalse();
    }

    @Test
    void dockerHostIsTakenAsDockerTakesIt(@TempDir Path home) {
        assertThat(DockerEngine.candidates("unix:///run/user/1000/docker.sock", home))
                .containsExactly(UnixDomainSocketAddress.of("/run/user/1000/docker.sock"));
        assertThat(DockerEngine.candidates("tcp://127.0.0.1:2376", home)).containsExactly(new InetSocketAddress("127.0.0.1", 2376));
        assertThat(DockerEngine.candidates("ssh://user@host", home)).isEmpty();
    }

    @Test
    void withoutDockerHostOnlySocketsThatExistAreTried(@TempDir Path home) throws Exception {
        Path desktop = Files.createDirectories(home.resolve(".docker/run")).resolve("docker.sock");
        Files.createFile(desktop);
        assertThat(DockerEngine.candidates(null, home)).contains(UnixDomainSocketAddress.of(desktop));
    }

    @Test
    void aSocketNobodyListensOnIsNoEngine(@TempDir Path home) throws Exception {
        Path stale = Files.createFile(home.resolve("docker.sock"));
        assertThat(DockerEngine.pings(UnixDomainSocketAddress.of(stale))).isFalse();
        assertThat(DockerEngine.pings(new InetSocketAddress("127.0.0.1", 9))).isFalse();
    }
}
