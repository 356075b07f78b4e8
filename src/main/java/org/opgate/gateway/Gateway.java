package org.opgate.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.opgate.clock.GatewayClock;
import org.opgate.config.ListenerSpec;
import org.opgate.config.OpgateConfig;
import org.opgate.gateway.enforce.Cutter;
import org.opgate.gateway.enforce.Decider;
import org.opgate.gateway.enforce.Tunnel;
import org.opgate.gateway.enforce.TunnelRegistry;
import org.opgate.gateway.listener.AcceptErrors;
import org.opgate.gateway.relay.Relay;
import org.opgate.gateway.upstream.OwnSockets;
import org.opgate.gateway.upstream.UpstreamResolver;

/**
 * The running gateway: one server channel per configured listener, the tunnel registry, and the
 * clock watch that cuts tunnels at block boundaries. The event loop groups belong to the caller.
 *
 * <pre>
 * Gateway gw = Gateway.start(config, clock, upstreams, observer, Transport.best(), boss, workers);
 * gw.listeners().forEach(l -> System.out.println(l.describe()));
 * …
 * gw.shutdown(Duration.ofSeconds(5));
 * </pre>
 */
public final class Gateway implements AutoCloseable {

    private final AtomicReference<GatewayRuntime> runtime;
    private final GatewayContext context;
    private final List<Channel> servers = new ArrayList<>();
    /** Every accepted client connection while it is open (removed on close by the group). */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<BoundListener> bound = new ArrayList<>();
    private final GatewayClock.Watch watch;
    private final GatewayClock clock;
    private final OwnSockets own;

    private Gateway(AtomicReference<GatewayRuntime> runtime, GatewayContext context, GatewayClock clock, OwnSockets own) {
        this.runtime = runtime;
        this.context = context;
        this.clock = clock;
        this.own = own;
        this.watch = clock.watch(t -> runtime.get().policies().nextBoundaryAfter(t),
                new Cutter(runtime::get, context.tunnels(), context.observer()));
    }

    /**
     * Binds every listener of {@code config}.
     *
     * @throws GatewayException if a listener cannot bind (the others are closed again)
     */
    public static Gateway start(OpgateConfig config, GatewayClock clock, UpstreamResolver upstreams,
                                GatewayObserver observer, Transport transport, EventLoopGroup boss,
                                EventLoopGroup workers) throws GatewayException {
        AtomicReference<GatewayRuntime> runtime = new AtomicReference<>(GatewayRuntime.of(config));
        GatewayObserver guarded = new GuardedObserver(observer);
        TunnelRegistry tunnels = new TunnelRegistry(guarded::tunnelClosed);
        OwnSockets own = new OwnSockets(upstreams);
        GatewayContext ctx = new GatewayContext(new Decider(runtime::get, clock, guarded), own, transport, tunnels, guarded);
        Gateway gw = new Gateway(runtime, ctx, clock, own);
        try {
            for (ListenerSpec spec : config.listeners()) {
                gw.bind(spec, boss, workers);
            }
        } catch (GatewayException e) {
            gw.close();
            throw e;
        }
        return gw;
    }

    private void bind(ListenerSpec spec, EventLoopGroup boss, EventLoopGroup workers) throws GatewayException {
        InetSocketAddress addr = new InetSocketAddress(spec.bind().host().toInetAddress(), spec.bind().port());
        // Accepted channels get TCP_NODELAY from Netty when they are made.
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channelFactory(context.transport().serverChannelFor(addr.getAddress()))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_RCVBUF, Relay.RECEIVE_BUFFER)
                .childOption(ChannelOption.ALLOCATOR, Relay.ALLOCATOR)
                .handler(new AcceptErrors(spec.name()))
                .childHandler(new ListenerInitializer(context, spec, connections::add));
        var f = b.bind(addr).awaitUninterruptibly();
        if (!f.isSuccess()) {
            String why = String.valueOf(f.cause().getMessage());
            // Native transports prefix the OS text with the call and errno: keep the text.
            why = why.substring(why.lastIndexOf(": ") + 1).trim();
            throw new GatewayException("listener '" + spec.name() + "' cannot bind " + spec.bind() + ": " + why, f.cause());
        }
        servers.add(f.channel());
        InetSocketAddress local = (InetSocketAddress) f.channel().localAddress();
        bound.add(new BoundListener(spec, local));
        own.add(local, "listener '" + spec.name() + "'");
    }

    /** Another socket of this process (the admin API) that no tunnel may connect to. */
    public void ownSocket(InetSocketAddress bound, String what) {
        own.add(bound, what);
    }

    public List<BoundListener> listeners() {
        return List.copyOf(bound);
    }

    /** The address a listener bound, by name. */
    public InetSocketAddress address(String listener) {
        return bound.stream().filter(b -> b.spec().name().equals(listener)).findFirst()
                .map(BoundListener::address).orElseThrow(() -> new IllegalArgumentException("no listener " + listener));
    }

    /**
     * Swaps in a new, already validated config: new flows follow its rules and policies from now
     * on; open tunnels keep running, except those its policies now block in a phase that says
     * {@code cut-existing}. Listeners, admin and clock settings need a restart to change; they are
     * named in the result.
     */
    public ReloadResult reload(OpgateConfig next) {
        GatewayRuntime old = runtime.get();
        GatewayRuntime fresh = GatewayRuntime.of(next);
        runtime.set(fresh);
        // The new policies may have other boundaries: re-arm the cut watch for their next one.
        watch.recheck();
        java.time.Instant now = clock.instant();
        int cut = 0;
        for (Tunnel t : context.tunnels().tunnels()) {
            var o = t.outcome();
            var c = fresh.classifier().classify(o.flow());
            var d = fresh.policies().decide(c, o.flow(), now);
            if (d.verdict() == org.opgate.policy.Verdict.BLOCK && d.phase() != null && d.phase().cutExisting()) {
                Cutter.cut(t, d, now, context.observer());
                cut++;
            }
        }
        List<String> restart = new ArrayList<>();
        if (!old.config().listeners().equals(next.listeners())) {
            restart.add("listeners");
        }
        if (!old.config().admin().equals(next.admin())) {
            restart.add("admin");
        }
        if (!old.config().clock().equals(next.clock())) {
            restart.add("clock");
        }
        if (!old.config().simnet().equals(next.simnet())) {
            restart.add("simnet");
        }
        return new ReloadResult(old.config().version(), next.version(), cut, restart);
    }

    /**
     * What a reload did.
     *
     * @param oldVersion      version hash before
     * @param newVersion      version hash after
     * @param cut             tunnels cut because a cut-existing phase now blocks them
     * @param needRestart     config sections that changed but apply only after a restart
     */
    public record ReloadResult(String oldVersion, String newVersion, int cut, List<String> needRestart) {
    }

    public GatewayClock clock() {
        return clock;
    }

    public TunnelRegistry tunnels() {
        return context.tunnels();
    }

    public GatewayRuntime runtime() {
        return runtime.get();
    }

    /**
     * Stops accepting, lets open tunnels finish for up to {@code grace}, then closes the rest.
     */
    public void shutdown(Duration grace) {
        for (Channel s : servers) {
            s.close().awaitUninterruptibly();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (context.tunnels().size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /** Closes listeners and every tunnel at once. */
    @Override
    public void close() {
        watch.close();
        for (Channel s : servers) {
            s.close().awaitUninterruptibly();
        }
        for (Tunnel t : context.tunnels().tunnels()) {
            t.ending("shutdown");
            t.client().close();
        }
        // Connections still in their handshake hold the bytes read so far: close them too, so
        // their handlers release those bytes before the event loops stop.
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
