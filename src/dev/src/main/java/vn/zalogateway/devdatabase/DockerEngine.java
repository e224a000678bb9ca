package vn.zalogateway.devdatabase;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a Docker engine answers here, the way Dev Services will look for one: {@code DOCKER_HOST},
 * else the usual sockets. A socket file alone is not enough (Docker Desktop leaves it behind when it
 * stops), so the engine is asked {@code GET /_ping}.
 */
public final class DockerEngine {

    private static final long TIMEOUT_MILLIS = 1_000;

    private DockerEngine() {
    }

    public static boolean answers() {
        for (SocketAddress address : candidates(System.getenv("DOCKER_HOST"), Path.of(System.getProperty("user.home", "/")))) {
            if (pings(address)) {
                return true;
            }
        }
        return false;
    }

    /** Where an engine may listen: DOCKER_HOST if set (as Docker's own client does), else the default sockets. */
    static List<SocketAddress> candidates(String dockerHost, Path home) {
        List<SocketAddress> addresses = new ArrayList<>();
        if (dockerHost != null && !dockerHost.isBlank()) {
            URI uri = URI.create(dockerHost.trim());
            if ("unix".equals(uri.getScheme())) {
                addresses.add(UnixDomainSocketAddress.of(uri.getPath()));
            } else if ("tcp".equals(uri.getScheme()) && uri.getHost() != null) {
                addresses.add(new InetSocketAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 2375));
            }
            return addresses;
        }
        for (Path socket : List.of(Path.of("/var/run/docker.sock"), home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"))) {
            if (Files.exists(socket)) {
                addresses.add(UnixDomainSocketAddress.of(socket));
            }
        }
        return addresses;
    }

    static boolean pings(SocketAddress address) {
        StandardProtocolFamily family = address instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX
                : StandardProtocolFamily.INET;
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        try (SocketChannel channel = SocketChannel.open(family); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_CONNECT);
            if (!channel.connect(address) && !await(selector, deadline) || !channel.finishConnect()) {
                return false;
            }
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
            ByteBuffer answer = ByteBuffer.allocate(64);
            while (answer.position() < 12 && await(selector, deadline)) {
                if (channel.read(answer) < 0) {
                    break;
                }
            }
            String status = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
            return status.startsWith("HTTP/1.") && status.length() >= 12 && status.startsWith("200", 9);
        } catch (IOException | RuntimeException unreachable) {
            return false;
        }
    }

    private static boolean await(Selector selector, long deadline) throws IOException {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
            return false;
        }
        selector.selectedKeys().clear();
        return selector.select(left) > 0;
    }
}
