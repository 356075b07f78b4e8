package org.opgate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opgate.flow.ListenerKind;
import org.opgate.testing.ClientHellos;
import org.opgate.testing.GatewayHarness;

/**
 * A large ClientHello that arrives one byte per read, as from a client trickling bytes, is still
 * assembled and decided on a thread with an event loop's stack. The sni handler merges what it
 * holds into one buffer; it used to wrap it in a new composite per read, nesting as deep as the
 * bytes were many, which every later read walked (and PARANOID leak detection multiplied). At the
 * default 16 KiB limit that nesting did not overflow the stack here; at the largest configurable
 * limit (1 MiB) it could be 64 times deeper (not tried). Driven through the real pipeline in an {@code EmbeddedChannel}.
 */
final class TrickledHandshakeTest {

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
    void largeClientHelloTrickledOneByteAtATimeIsDecided() throws Throwable {
        byte[] hello = ClientHellos.builder().sni(GatewayHarness.BBM_HOST).extension(21, new byte[15_000]).build();
        assertThat(hello.length).isLessThan(gw.config().limits().maxClientHelloBytes());
        // On a thread with the stack of an event loop thread (the JVM's default, 1 MiB here),
        // not the test's main thread, whose stack is the process's (often 8 MiB).
        Throwable[] failure = new Throwable[1];
        Thread loop = new Thread(null, () -> {
            try {
                trickle(hello);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "event-loop-sized", 1 << 20);
        loop.start();
        loop.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void trickle(byte[] hello) throws Exception {
        // Untracked buffers: PARANOID leak detection records a stack trace per access, which
        // would take minutes here; the allocator's counters check the release instead.
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        EmbeddedGateway.Client ch = gw.connect(gw.listener(ListenerKind.SNI), new InetSocketAddress("127.0.0.1", 40000));
        ch.config().setAllocator(alloc);
        ch.freezeTime(); // the handshake timeout is not under test
        for (int i = 0; i < hello.length && ch.isOpen(); i++) {
            ch.writeInbound(alloc.heapBuffer(1).writeByte(hello[i]));
        }
        ch.runPendingTasks();
        ch.checkException();
        ch.finishAndReleaseAll();

        assertThat(gw.seen().decisions()).singleElement()
                .satisfies(o -> assertThat(o.flow().sni()).isEqualTo(GatewayHarness.BBM_HOST));
        assertThat(alloc.metric().usedHeapMemory()).isZero();
    }
}
