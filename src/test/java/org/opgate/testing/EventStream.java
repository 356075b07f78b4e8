package org.opgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An admin server-sent event stream read off a raw socket (chunked transfer coding undone), so a
 * test sees exactly what the server wrote. Reads are bounded by {@link Wire#READ_TIMEOUT_MILLIS}.
 *
 * <pre>
 * try (EventStream events = new EventStream(gw.admin(), "/events?types=tick", null)) {
 *     JsonNode tick = events.next("tick");
 * }
 * </pre>
 */
public final class EventStream implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final StringBuilder pending = new StringBuilder();

    /** Sends {@code GET pathAndQuery} (with the bearer token unless null) and checks the stream's head. */
    public EventStream(InetSocketAddress admin, String pathAndQuery, String token) throws IOException {
        socket = Wire.connect(admin);
        Wire.send(socket, "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n");
        in = socket.getInputStream();
        Wire.HttpReply head = Wire.readReply(in, false);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).startsWith("text/event-stream");
        assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
    }

    /** The next event whose type is {@code type}, as its JSON data; up to 100 earlier events of other types are skipped. */
    public JsonNode next(String type) throws IOException {
        for (int skipped = 0; skipped < 100; skipped++) {
            int end;
            while ((end = pending.indexOf("\n\n")) < 0) {
                pending.append(chunk());
            }
            String event = pending.substring(0, end);
            pending.delete(0, end + 2);
            String[] lines = event.split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            if (lines[0].substring(7).equals(type)) {
                return AdminClient.json(lines[1].substring(6));
            }
        }
        throw new AssertionError("no '" + type + "' event among the next 100");
    }

    private String chunk() throws IOException {
        String size = line();
        int n = Integer.parseInt(size.trim(), 16);
        assertThat(n).as("chunk size (0 ends the stream)").isPositive();
        String data = new String(in.readNBytes(n), StandardCharsets.UTF_8);
        assertThat(line()).isEmpty();
        return data;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new AssertionError("event stream ended");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
