package org.opgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * A plain blocking upstream for gateway tests, on a loopback address and a port the OS picks,
 * one thread per connection. The gateway reaches it through an IP literal (a loopback literal
 * connects directly, no simnet route involved): {@code CONNECT 127.0.0.1:PORT}, or
 * {@link #target()}.
 *
 * <pre>
 * try (LoopbackServer echo = LoopbackServer.echo()) {
 *     Socket s = Wire.connectTunnel(gw.http(), echo.target());
 *     …
 * }
 * </pre>
 */
public final class LoopbackServer implements AutoCloseable {

    /** Serves one accepted connection; the socket is closed after it returns. */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket s) throws IOException;
    }

    /** What a {@link #slowReader} read on one connection before its end of stream. */
    public record Received(long bytes, long crc32) {
    }

    private final ServerSocket server;
    private final Handler handler;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final CompletableFuture<Received> received = new CompletableFuture<>();
    private volatile boolean closed;

    private LoopbackServer(ServerSocket server, Handler handler) {
        this.server = server;
        this.handler = handler;
        Thread t = new Thread(this::acceptLoop, "loopback-accept-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts a server on {@code address} (127.0.0.1 or ::1).
     *
     * @param receiveBuffer SO_RCVBUF of accepted sockets, or 0 for the system's
     */
    public static LoopbackServer start(InetAddress address, int receiveBuffer, Handler handler) throws IOException {
        ServerSocket ss = new ServerSocket();
        if (receiveBuffer > 0) {
            // Set before bind so accepted sockets inherit it (and the window scale fits it).
            ss.setReceiveBufferSize(receiveBuffer);
        }
        ss.bind(new InetSocketAddress(address, 0), 50);
        return new LoopbackServer(ss, handler);
    }

    /** Writes back every byte it reads, until the client closes. */
    public static LoopbackServer echo() throws IOException {
        return echo(InetAddress.getLoopbackAddress());
    }

    public static LoopbackServer echo(InetAddress address) throws IOException {
        return start(address, 0, LoopbackServer::echo);
    }

    /** Writes {@code banner} as soon as it accepts (a server-speaks-first protocol), then echoes. */
    public static LoopbackServer banner(String banner) throws IOException {
        byte[] b = banner.getBytes(StandardCharsets.US_ASCII);
        return start(InetAddress.getLoopbackAddress(), 0, s -> {
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            echo(s);
        });
    }

    /** Resets the connection (SO_LINGER 0) as soon as the first byte arrives: an upstream that fails mid-way. */
    public static LoopbackServer resetting() throws IOException {
        return start(InetAddress.getLoopbackAddress(), 0, s -> {
            s.getInputStream().read();
            s.setSoLinger(true, 0);
        });
    }

    /**
     * How a {@link #slowReader} reads: {@code chunk} bytes, then a {@code pause}; and before the
     * first byte and after every {@code stallEvery} bytes, a longer {@code stall} during which the
     * writer's side fills up for sure.
     */
    public record Pace(int chunk, Duration pause, long stallEvery, Duration stall) {
    }

    /**
     * Reads at {@code pace}. Once it has read {@code expected} bytes (or the stream ended before),
     * it records what it read ({@link #received()}), then reads on until the end of the stream
     * and closes. Its sockets get a small receive buffer ({@code receiveBuffer}) so that the kernel
     * holds little and the gateway's own buffers are what backpressure has to bound.
     */
    public static LoopbackServer slowReader(Pace pace, int receiveBuffer, long expected) throws IOException {
        LoopbackServer[] self = new LoopbackServer[1];
        self[0] = start(InetAddress.getLoopbackAddress(), receiveBuffer, s -> {
            CRC32 crc = new CRC32();
            byte[] buf = new byte[pace.chunk()];
            long total = 0;
            long nextStall = 0;
            InputStream in = s.getInputStream();
            int n = 0;
            while (total < expected && n >= 0) {
                if (total >= nextStall) {
                    LockSupport.parkNanos(pace.stall().toNanos());
                    nextStall += pace.stallEvery();
                }
                int got = 0;
                while (got < buf.length && total + got < expected && (n = in.read(buf, got, buf.length - got)) > 0) {
                    got += n;
                }
                crc.update(buf, 0, got);
                total += got;
                LockSupport.parkNanos(pace.pause().toNanos());
            }
            self[0].received.complete(new Received(total, crc.getValue()));
            while (in.read(buf) >= 0) {
                // Past what was expected: drain to the end of the stream.
            }
        });
        return self[0];
    }

    private static void echo(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            open.add(s);
            Thread t = new Thread(() -> serve(s), "loopback-conn-" + server.getLocalPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            handler.serve(s);
        } catch (SocketException e) {
            // The peer reset or the test closed the server: the connection is over either way.
        } catch (IOException e) {
            received.completeExceptionally(e);
        } finally {
            open.remove(s);
        }
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** {@code 127.0.0.1:PORT} or {@code [::1]:PORT}: a CONNECT target that reaches this server directly. */
    public String target() {
        InetAddress a = address().getAddress();
        String host = a.getAddress().length == 16 ? "[" + a.getHostAddress().replaceAll("%.*$", "") + "]"
                : a.getHostAddress();
        return host + ":" + address().getPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** For {@link #slowReader}: completes with what the first connection to end read. */
    public CompletableFuture<Received> received() {
        return received;
    }

    /** Stops accepting and closes every connection still open. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
