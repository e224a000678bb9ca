package vn.zalogateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback port that forwards every connection to a target (PostgreSQL, say) until it is shut: then the
 * connections through it are dropped and a new one is refused, as by a server that went away, until it opens again
 * on the same port. What a restart of the server does to its clients, without restarting the server.
 */
public final class TcpGate implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "tcp-gate");
        thread.setDaemon(true);
        return thread;
    });
    private ServerSocket listener;

    public TcpGate(String targetHost, int targetPort) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    public int port() {
        return port;
    }

    /** Connections through the gate dropped, new ones refused (nothing listens on its port). */
    public synchronized void shut() {
        close(listener);
        sockets.forEach(TcpGate::close);
        sockets.clear();
    }

    /** Listening again, on the same port. */
    public synchronized void open() {
        if (listener.isClosed()) {
            listener = listen(port);
            accept(listener);
        }
    }

    @Override
    public void close() {
        shut();
        threads.shutdownNow();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocket server) {
        threads.execute(() -> {
            while (true) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException shut) {
                    return;
                }
                Socket upstream = new Socket();
                sockets.add(client);
                sockets.add(upstream);
                try {
                    if (server.isClosed()) {
                        throw new IOException("shut while this connection was accepted");
                    }
                    upstream.connect(target, 5_000);
                } catch (IOException unreachable) {
                    close(client);
                    close(upstream);
                    continue;
                }
                pipe(client, upstream);
                pipe(upstream, client);
            }
        });
    }

    private void pipe(Socket from, Socket to) {
        threads.execute(() -> {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException dropped) {
                // either side closed: both go
            } finally {
                close(from);
                close(to);
            }
        });
    }

    private static void close(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
