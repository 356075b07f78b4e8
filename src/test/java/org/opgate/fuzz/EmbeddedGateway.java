package org.opgate.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opgate.clock.SimulatedClock;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.ListenerSpec;
import org.opgate.config.OpgateConfig;
import org.opgate.flow.Flow;
import org.opgate.flow.ListenerKind;
import org.opgate.gateway.GatewayContext;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.GatewayRuntime;
import org.opgate.gateway.ListenerInitializer;
import org.opgate.gateway.Transport;
import org.opgate.gateway.enforce.Decider;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.TunnelRegistry;
import org.opgate.gateway.upstream.UpstreamResolver;
import org.opgate.gateway.upstream.UpstreamTarget;
import org.opgate.testing.GatewayHarness;

/**
 * The gateway's real listener pipelines ({@link ListenerInitializer}) on {@link EmbeddedChannel}s:
 * the bundled config, a paused simulated clock, and an observer that records what happened to
 * the connection under test. No upstream is ever reached: the resolver refuses every destination
 * (unknown host, not allowed, or a failed lookup, by port), so a fuzz case ends in the refusal
 * paths the handshake handlers share with the real gateway. Not thread-safe: one case at a time.
 */
final class EmbeddedGateway implements AutoCloseable {

    /** Every reason {@link GatewayObserver#refused} may give. */
    static final List<String> REASONS = List.of("bad-request", "header-too-large", "no-sni", "not-tls",
            "client-hello-too-large", "handshake-timeout", "limit-listener", "limit-client", "unknown-host",
            "not-allowed", "connect-failed", "unsupported-command", "operator-unknown", "blocked-while-connecting");

    /** What the observer saw for the connection under test. */
    record Seen(List<String> refusals, List<Outcome> decisions) {
        boolean any() {
            return !refusals.isEmpty() || !decisions.isEmpty();
        }
    }

    private final OpgateConfig config;
    private final SimulatedClock clock = new SimulatedClock(GatewayHarness.BEFORE_DEADLINE, 1, true);
    private final GatewayContext context;
    private final List<String> refusals = new ArrayList<>();
    private final List<Outcome> decisions = new ArrayList<>();

    EmbeddedGateway() throws ConfigException {
        config = ConfigLoader.load(Path.of("config"));
        GatewayObserver recorder = new GatewayObserver() {
            @Override
            public void decided(String listener, Outcome outcome) {
                decisions.add(outcome);
            }

            @Override
            public void refused(String listener, String reason, String detail) {
                refusals.add(reason);
            }
        };
        GatewayRuntime runtime = GatewayRuntime.of(config);
        context = new GatewayContext(new Decider(() -> runtime, clock, recorder), new Refusing(),
                Transport.best(), new TunnelRegistry(t -> { }), recorder);
    }

    /** A new listener: its own connection counts. */
    ListenerInitializer listener(ListenerKind kind) {
        ListenerSpec spec = config.listeners().stream().filter(l -> l.kind() == kind).findFirst().orElseThrow();
        return new ListenerInitializer(context, spec);
    }

    OpgateConfig config() {
        return config;
    }

    /** Opens a connection from {@code client} through {@code listener}'s pipeline; forgets what was seen before. */
    Client connect(ListenerInitializer listener, InetSocketAddress client) throws Exception {
        refusals.clear();
        decisions.clear();
        Client ch = new Client(client, listener);
        ch.register();
        return ch;
    }

    Seen seen() {
        return new Seen(List.copyOf(refusals), List.copyOf(decisions));
    }

    @Override
    public void close() {
        clock.close();
    }

    /** An embedded channel with a real client address, as the listener's limiter and decider need one. */
    static final class Client extends EmbeddedChannel {
        private final InetSocketAddress remote;

        Client(InetSocketAddress remote, ChannelHandler handler) {
            super(false, false, handler);
            this.remote = remote;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }

        /** Messages that reached the end of the pipeline while the connection was open. */
        final List<String> unhandledWhileOpen = new ArrayList<>();

        /**
         * Here a close takes the handlers down at once, while a decoder may still be firing
         * what it made of the same read; on a real channel that happens a task later, and the
         * tail drops such messages anyway. What arrives while the connection is open counts.
         */
        @Override
        protected void handleInboundMessage(Object msg) {
            if (isOpen()) {
                unhandledWhileOpen.add(String.valueOf(msg));
            }
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        /** Everything the gateway wrote so far, released. */
        byte[] drainOutbound() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (Object o; (o = readOutbound()) != null; ) {
                if (o instanceof ByteBuf b) {
                    byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    out.writeBytes(bytes);
                }
                io.netty.util.ReferenceCountUtil.release(o);
            }
            return out.toByteArray();
        }
    }

    /** Refuses every destination, in one of three ways chosen by the port, so each refusal path runs. */
    private static final class Refusing implements UpstreamResolver {
        @Override
        public Future<UpstreamTarget> resolve(Flow flow) {
            return switch (flow.port() % 3) {
                case 0 -> ImmediateEventExecutor.INSTANCE.newSucceededFuture(
                        UpstreamTarget.unknownHost("unknown host in the fuzzed network: " + flow.target()));
                case 1 -> ImmediateEventExecutor.INSTANCE.newSucceededFuture(
                        UpstreamTarget.notAllowed("not allowed in the fuzzed network: " + flow.target()));
                default -> ImmediateEventExecutor.INSTANCE.newFailedFuture(new IllegalStateException("lookup failed"));
            };
        }
    }
}
