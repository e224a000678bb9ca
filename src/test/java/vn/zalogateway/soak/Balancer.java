package vn.zalogateway.soak;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What stands in front of the replicas in production (a Service, an ingress): one loopback port whose connections go
 * to the replicas in turn, to the next one when a replica refuses (it is down). Consumers and providers know only
 * this port; a replica killed mid-request drops its connections, as it would behind a real balancer.
 */
final class Balancer implements AutoCloseable {

    private final List<Integer> targets;
    private final ServerSocket listener;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "soak-balancer");
        thread.setDaemon(true);
        return thread;
    });

    Balancer(List<Integer> targets) throws IOException {
        this.targets = List.copyOf(targets);
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        threads.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            threads.execute(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        sockets.add(client);
        int first = Math.floorMod(next.getAndIncrement(), targets.size());
        for (int i = 0; i < targets.size(); i++) {
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targets.get((first + i) % targets.size())), 1_000);
            } catch (IOException down) {
                close(upstream);
                continue;
            }
            sockets.add(upstream);
            threads.execute(() -> pipe(upstream, client));
            pipe(client, upstream);
            return;
        }
        close(client); // no replica is up: the caller sees a refused (reset) connection
    }

    private void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException dropped) {
            // either side went: both go
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(this::close);
        threads.shutdownNow();
    }
}
