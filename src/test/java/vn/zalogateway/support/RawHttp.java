package vn.zalogateway.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A request sent as bytes to the test's gateway, for what HTTP clients refuse to send (a lone %, %zz, a space). */
public final class RawHttp {

    private RawHttp() {
    }

    /** The status line and headers of the answer to {@code requestLineAndHeaders} (each line ending CRLF) and {@code body}. */
    public static List<String> head(String requestLineAndHeaders, String body) {
        try (Socket socket = new Socket("127.0.0.1", 8081)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLineAndHeaders + "Host: localhost:8081\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            List<String> head = new ArrayList<>();
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                head.add(line);
            }
            return head;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer's status code. */
    public static int status(String requestLineAndHeaders, String body) {
        return Integer.parseInt(head(requestLineAndHeaders, body).get(0).split(" ")[1]);
    }
}
