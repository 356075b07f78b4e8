package org.opgate.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opgate.flow.ListenerKind;
import org.opgate.gateway.ListenerInitializer;
import org.opgate.testing.FuzzHellos;
import org.opgate.testing.Mutator;

/**
 * Seeded malformed input through each listener's real pipeline ({@code ListenerInitializer}) in
 * an {@code EmbeddedChannel}: HTTP proxy requests, SOCKS5 flights and TLS ClientHellos, cut into
 * random pieces as TCP might deliver them. Each case must end in a refusal the observer names
 * with a known reason (or a decision), answered in the listener's own protocol (HTTP status
 * lines with {@code X-Opgate-Reason}; SOCKS5 replies that never say success, as nothing
 * connects here; nothing at all on the sni listener); the gateway closes the connection, at
 * once or when its handshake or idle time runs out; no exception reaches the end of the
 * pipeline, no message is left unhandled there, and every buffer fed in is released (and
 * PARANOID leak detection watches the rest). One case in ten, the client vanishes half-way.
 *
 * <p>100,000 cases per listener by default; a failure prints its seed and case number. A larger
 * run (ten times the default), or a failing case again:
 * <pre>
 * mvn test -Dtest=ListenerFuzzTest -Dopgate.fuzz.scale=10
 * mvn test -Dtest=ListenerFuzzTest -Dopgate.fuzz.seed=42 -Dopgate.fuzz.cases=1234
 * </pre>
 */
final class ListenerFuzzTest {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    private static final List<Integer> REFUSAL_STATUSES = List.of(400, 403, 408, 414, 431, 502, 503, 505);
    private static final InetSocketAddress[] CLIENTS = {new InetSocketAddress("127.0.0.1", 40000),
            new InetSocketAddress("127.2.0.9", 40001), new InetSocketAddress("::1", 40002),
            new InetSocketAddress("127.9.0.1", 40003)}; // the last is in no operator's pool

    private static EmbeddedGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new EmbeddedGateway();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void httpListenerRefusesEveryMalformedRequestCleanly() throws Exception {
        run(ListenerKind.HTTP, HttpHeads::next, ListenerFuzzTest::checkHttp);
    }

    @Test
    void socks5ListenerRefusesEveryMalformedFlightCleanly() throws Exception {
        run(ListenerKind.SOCKS5, Socks5Messages::next, ListenerFuzzTest::checkSocks5);
    }

    @Test
    void sniListenerResetsEveryMalformedClientHelloCleanly() throws Exception {
        run(ListenerKind.SNI, FuzzHellos::next, ListenerFuzzTest::checkSni);
    }

    /** Checks what the gateway wrote back; returns a complaint, or null. */
    private interface AnswerCheck {
        String check(byte[] answer, boolean vanished);
    }

    private static void run(ListenerKind kind, Function<Random, byte[]> inputs, AnswerCheck answers) throws Exception {
        ListenerInitializer listener = gw.listener(kind);
        Fuzz fuzz = Fuzz.of("ListenerFuzzTest " + kind, 100_000);
        Random random = fuzz.random();
        long cpu = Fuzz.cpuNow();
        long waitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(gw.config().limits().handshakeTimeout().toMillis(),
                gw.config().limits().idleTimeout().toMillis())) + TimeUnit.SECONDS.toNanos(1);
        for (int n = 0; n < fuzz.cases(); n++) {
            byte[] input = inputs.apply(random);
            List<byte[]> pieces = Mutator.split(random, input, random.nextInt(4) == 0 ? 8 : 2048);
            boolean vanish = random.nextInt(10) == 0;
            int vanishAfter = vanish ? random.nextInt(pieces.size() + 1) : -1;
            InetSocketAddress client = CLIENTS[random.nextInt(8) == 0 ? 3 : random.nextInt(3)];
            boolean tracked = random.nextInt(200) == 0;
            String problem = runCase(listener, client, pieces, vanishAfter, tracked, waitNanos, answers);
            if (problem != null) {
                throw fuzz.failure(n, problem + " (client " + client + ", " + pieces.size() + " pieces"
                        + (vanish ? ", vanished after " + vanishAfter : "") + ")", input);
            }
        }
        fuzz.report(cpu);
    }

    private static String runCase(ListenerInitializer listener, InetSocketAddress from, List<byte[]> pieces,
                                  int vanishAfter, boolean tracked, long waitNanos, AnswerCheck answers) throws Exception {
        EmbeddedGateway.Client ch = gw.connect(listener, from);
        // Most cases count every allocation of the pipeline and demand all of it back; one in
        // 200 runs on the default allocator, tracked at PARANOID (whose stack trace per buffer
        // access would make every case that slow).
        UnpooledByteBufAllocator counting = new UnpooledByteBufAllocator(false, true);
        if (!tracked) {
            ch.config().setAllocator(counting);
        }
        List<ByteBuf> fed = new ArrayList<>();
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        boolean vanished = false;
        try {
            for (int i = 0; i < pieces.size() && ch.isOpen(); i++) {
                if (i == vanishAfter) {
                    break;
                }
                ByteBuf b = ch.alloc().buffer(pieces.get(i).length).writeBytes(pieces.get(i));
                fed.add(b);
                ch.writeInbound(b);
                ch.runPendingTasks();
                answer.writeBytes(ch.drainOutbound());
            }
            if (vanishAfter >= 0 && ch.isOpen()) {
                vanished = true;
                ch.close();
            }
            if (ch.isOpen()) {
                // The client stops sending: the handshake or idle timeout must end the connection.
                ch.advanceTimeBy(waitNanos, TimeUnit.NANOSECONDS);
                ch.runScheduledPendingTasks();
                ch.runPendingTasks();
            }
            answer.writeBytes(ch.drainOutbound());
            ch.checkException();
            if (ch.isOpen()) {
                return "the connection is still open after the handshake and idle timeouts";
            }
        } catch (Throwable t) {
            return "exception reached the end of the pipeline: " + t;
        } finally {
            ch.finishAndReleaseAll();
        }
        if (!ch.unhandledWhileOpen.isEmpty()) {
            return "message(s) reached the end of the pipeline unhandled: " + ch.unhandledWhileOpen;
        }
        for (ByteBuf b : fed) {
            if (b.refCnt() != 0) {
                return "an input buffer was not released (refCnt " + b.refCnt() + ")";
            }
        }
        long held = counting.metric().usedHeapMemory() + counting.metric().usedDirectMemory();
        if (held != 0) {
            return held + " bytes allocated by the pipeline were not released";
        }
        EmbeddedGateway.Seen seen = gw.seen();
        if (!vanished && !seen.any()) {
            return "closed without a refusal or decision";
        }
        for (String reason : seen.refusals()) {
            if (!EmbeddedGateway.REASONS.contains(reason)) {
                return "refusal reason '" + reason + "' is not a documented one";
            }
        }
        if (seen.decisions().stream().anyMatch(o -> o.allowed()) && seen.refusals().isEmpty() && !vanished) {
            return "an allowed flow ended without the upstream refusal being reported";
        }
        return answers.check(answer.toByteArray(), vanished);
    }

    private static String checkHttp(byte[] answer, boolean vanished) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            return vanished ? null : "closed without an HTTP answer";
        }
        if (!text.startsWith("HTTP/1.1 ")) {
            return "answer is no HTTP response: " + ByteBufUtil.hexDump(answer, 0, Math.min(answer.length, 64));
        }
        Matcher m = STATUS_LINE.matcher(text);
        int responses = 0;
        while (m.find()) {
            responses++;
            if (!REFUSAL_STATUSES.contains(Integer.parseInt(m.group(1)))) {
                return "status " + m.group(1) + " is not a refusal: " + text;
            }
        }
        int reasons = text.split("X-Opgate-Reason: ", -1).length - 1;
        return reasons == responses ? null : responses + " responses but " + reasons + " X-Opgate-Reason headers: " + text;
    }

    /**
     * SOCKS5 answers in order: a method choice ({@code 05 MM}), a password status ({@code 01 00},
     * or a failure that ends the answer), a command reply ({@code 05 REP 00 ATYP ADDR PORT}) that
     * is never success here.
     */
    private static String checkSocks5(byte[] answer, boolean vanished) {
        int at = 0;
        if (answer.length == 0) {
            return null; // a greeting of another SOCKS version is closed without a word
        }
        if (answer.length < 2 || answer[0] != 5) {
            return "not a SOCKS5 method choice: " + ByteBufUtil.hexDump(answer);
        }
        at = 2;
        if (at + 2 <= answer.length && answer[at] == 1) {
            if (answer[at + 1] != 0) {
                return at + 2 == answer.length ? null : "bytes after a failed password status: " + ByteBufUtil.hexDump(answer);
            }
            at += 2;
        }
        if (at == answer.length) {
            return null;
        }
        if (answer.length - at < 10 || answer[at] != 5 || answer[at + 2] != 0) {
            return "not a SOCKS5 command reply: " + ByteBufUtil.hexDump(answer);
        }
        if (answer[at + 1] == 0) {
            return "command reply says success though nothing connected: " + ByteBufUtil.hexDump(answer);
        }
        int end = at + (answer[at + 3] == 4 ? 22 : 10);
        return end == answer.length ? null : "bytes after the command reply: " + ByteBufUtil.hexDump(answer);
    }

    private static String checkSni(byte[] answer, boolean vanished) {
        return answer.length == 0 ? null : "the sni listener wrote bytes: " + ByteBufUtil.hexDump(answer);
    }
}
