package org.opgate.sim.simnet;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opgate.classify.HostPattern;
import org.opgate.config.SimnetRoute.ServerKind;
import org.opgate.config.SimnetRoute;
import org.opgate.source.SourceLocation;
import org.opgate.testing.Await;
import org.slf4j.LoggerFactory;

/** The built-in servers over real loopback sockets. */
final class SimnetServersTest {

    private static final int TIMEOUT_MILLIS = 10_000;
    private static final List<SimnetRoute> ROUTES = List.of(
            route("*.srp.blackberry.com", ServerKind.TLS, "BlackBerry Infrastructure (SRP relay)"),
            route("*.bis.na.blackberry.com", ServerKind.HTTP, "BlackBerry Internet Service (North America)"),
            route("*.pushapi.na.blackberry.com", ServerKind.HTTP, "BlackBerry Push Service"));

    private static EventLoopGroup group;
    private static SimnetServers servers;

    private record Response(String statusLine, Map<String, String> headers, String body) {
    }

    static SimnetRoute route(String host, ServerKind kind, String service) {
        return new SimnetRoute(HostPattern.parse(host), null, kind, service, SourceLocation.of("test", 1, 1));
    }

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        servers = SimnetServers.start(group, ROUTES);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (servers != null) {
                servers.close().get(5, TimeUnit.SECONDS);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void serversListenOnLoopbackOnDistinctPorts() {
        List<InetSocketAddress> all = List.of(servers.address(ServerKind.TLS), servers.address(ServerKind.SINK),
                servers.address(ServerKind.HTTP));
        assertThat(all).allSatisfy(a -> {
            assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(a.getPort()).isPositive();
        });
        assertThat(all).extracting(InetSocketAddress::getPort).doesNotHaveDuplicates();
    }

    @Test
    void tlsServerAnswersHttpWithThePageOfTheServiceForTheSniAndKeepsTheConnection() throws Exception {
        try (SSLSocket s = tls("gb.srp.blackberry.com")) {
            for (int i = 0; i < 2; i++) {
                send(s, "GET /page" + i + " HTTP/1.1\r\nHost: whatever.example\r\n\r\n");
                Response r = readResponse(s.getInputStream());
                assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                assertThat(r.headers()).containsEntry("content-type", "text/html; charset=utf-8");
                assertThat(r.body()).contains("<title>BlackBerry Infrastructure (SRP relay)</title>",
                        "for gb.srp.blackberry.com");
            }
        }
    }

    @Test
    void tlsServerNamesAnUnroutedSniItself() throws Exception {
        try (SSLSocket s = tls("mail.example.org")) {
            send(s, "GET / HTTP/1.1\r\nHost: mail.example.org\r\nConnection: close\r\n\r\n");
            Response r = readResponse(s.getInputStream());
            assertThat(r.body()).contains("<h1>mail.example.org</h1>");
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void tlsServerEchoesBytesThatAreNotHttp() throws Exception {
        byte[] sent = new byte[1024];
        new Random(42).nextBytes(sent);
        sent[0] = 0x00;
        try (SSLSocket s = tls("gb.srp.blackberry.com")) {
            s.getOutputStream().write(sent);
            s.getOutputStream().flush();
            assertThat(s.getInputStream().readNBytes(sent.length)).isEqualTo(sent);
            // The echo keeps going on the same connection.
            s.getOutputStream().write(sent, 0, 100);
            s.getOutputStream().flush();
            assertThat(s.getInputStream().readNBytes(100)).isEqualTo(Arrays.copyOf(sent, 100));
        }
    }

    @Test
    void sinkSwallowsAMebibyteAndNeverAnswers() throws Exception {
        long before = servers.sinkBytesReceived();
        byte[] chunk = new byte[64 * 1024];
        try (Socket s = plain(ServerKind.SINK)) {
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 16; i++) {
                out.write(chunk);
            }
            out.flush();
            s.shutdownOutput();
            // The sink closes once it has read everything, without having written a byte.
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (servers.sinkBytesReceived() - before < 1 << 20 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(servers.sinkBytesReceived() - before).isEqualTo(1 << 20);
    }

    @Test
    void httpServerNamesTheServiceOfTheHostHeaderAndKeepsTheConnection() throws Exception {
        try (Socket s = plain(ServerKind.HTTP)) {
            send(s, "GET / HTTP/1.1\r\nHost: bis.na.blackberry.com\r\n\r\n");
            Response first = readResponse(s.getInputStream());
            send(s, "GET /push HTTP/1.1\r\nHost: cp1234.pushapi.na.blackberry.com:80\r\n\r\n");
            Response second = readResponse(s.getInputStream());
            assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(first.body()).contains("<h1>BlackBerry Internet Service (North America)</h1>");
            assertThat(second.body()).contains("<h1>BlackBerry Push Service</h1>",
                    "for cp1234.pushapi.na.blackberry.com");
            assertThat(second.headers()).doesNotContainEntry("connection", "close");
        }
    }

    @Test
    void httpServerAnswersHeadWithoutABody() throws Exception {
        try (Socket s = plain(ServerKind.HTTP)) {
            send(s, "HEAD / HTTP/1.1\r\nHost: unknown.example\r\n\r\n");
            InputStream in = s.getInputStream();
            Response head = readHeaders(in);
            assertThat(Integer.parseInt(head.headers().get("content-length"))).isPositive();
            // Had HEAD sent a body, it would be read here as the next status line.
            send(s, "GET / HTTP/1.1\r\nHost: unknown.example\r\n\r\n");
            Response get = readResponse(in);
            assertThat(get.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(get.body()).contains("<h1>unknown.example</h1>");
            assertThat(get.body().getBytes(StandardCharsets.UTF_8)).hasSize(
                    Integer.parseInt(head.headers().get("content-length")));
        }
    }

    @Test
    void httpServerLogsAClientThatHangsUpMidRequestAtDebugOnly() throws Exception {
        // The gateway closes its upstream mid-request when its client's body turns out malformed.
        Logger log = (Logger) LoggerFactory.getLogger(CloseOnError.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level level = log.getLevel();
        log.setLevel(Level.DEBUG);
        log.addAppender(events);
        try {
            try (Socket s = plain(ServerKind.HTTP)) {
                send(s, "POST / HTTP/1.1\r\nHost: bis.na.blackberry.com\r\nContent-Length: 100\r\n\r\nabc");
            }
            Await.until(() -> !events.list.isEmpty(), "the server to log the hang-up");

            assertThat(events.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.DEBUG);
        } finally {
            log.detachAppender(events);
            log.setLevel(level);
        }
    }

    @Test
    void httpServerClosesWhenTheClientAsksTo() throws Exception {
        try (Socket s = plain(ServerKind.HTTP)) {
            send(s, "GET / HTTP/1.1\r\nHost: bis.na.blackberry.com\r\nConnection: close\r\n\r\n");
            Response r = readResponse(s.getInputStream());
            assertThat(r.headers()).containsEntry("connection", "close");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void srpServerEchoesALoginLineThatArrivesInPiecesAndWhatFollowsIt() throws Exception {
        try (Socket s = plain(ServerKind.SRP)) {
            OutputStream out = s.getOutputStream();
            out.write("SRP-LO".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(50);   // a second read on the server side
            out.write("GIN S-pieces\r\nmail".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertThat(new String(s.getInputStream().readNBytes(24), StandardCharsets.US_ASCII))
                    .isEqualTo("SRP-LOGIN S-pieces\r\nmail");
        }
    }

    @Test
    void srpServerTellsTheSixthLoginOfAnIdWithinAMinuteThatTheIdIsDisabledAndCloses() throws Exception {
        byte[] login = "SRP-LOGIN S-storm\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 5; i++) {
            try (Socket s = plain(ServerKind.SRP)) {
                s.getOutputStream().write(login);
                assertThat(s.getInputStream().readNBytes(login.length)).as("login %d", i + 1).isEqualTo(login);
            }
        }
        try (Socket s = plain(ServerKind.SRP)) {
            s.getOutputStream().write(login);

            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("SRP-DISABLED S-storm\r\n");
        }
    }

    private static Socket plain(ServerKind kind) throws IOException {
        InetSocketAddress a = servers.address(kind);
        Socket s = new Socket(a.getAddress(), a.getPort());
        s.setSoTimeout(TIMEOUT_MILLIS);
        return s;
    }

    private static SSLSocket tls(String sni) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        InetSocketAddress a = servers.address(ServerKind.TLS);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(a.getAddress(), a.getPort());
        s.setSoTimeout(TIMEOUT_MILLIS);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(sni)));
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Status line and headers (names lower-cased), up to the empty line. */
    private static Response readHeaders(InputStream in) throws IOException {
        String status = readLine(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Response(status, headers, "");
    }

    private static Response readResponse(InputStream in) throws IOException {
        Response head = readHeaders(in);
        int length = Integer.parseInt(head.headers().get("content-length"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Response(head.statusLine(), head.headers(), body);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of a response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** The simnet certificate is self-signed and made at start: trust it, and only in tests. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
