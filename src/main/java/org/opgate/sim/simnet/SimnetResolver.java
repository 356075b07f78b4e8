package org.opgate.sim.simnet;

import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.opgate.config.SimnetRoute;
import org.opgate.config.SimnetRoute.ServerKind;
import org.opgate.config.SimnetSettings;
import org.opgate.flow.Flow;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.upstream.UpstreamResolver;
import org.opgate.gateway.upstream.UpstreamTarget;

/**
 * The upstream resolver of the simulated network. For a flow, in this order:
 * <ol>
 *   <li>the first route whose {@code host} matches the requested host or the SNI, or whose
 *       {@code cidr} contains the destination address: that route's server and service, or
 *       127.0.0.1 on the flow's port for a {@code loopback} route (skipped when simnet is
 *       disabled);</li>
 *   <li>a destination address (an IP literal): loopback connects directly to it and the flow's
 *       port; any other address needs {@code allow-non-loopback};</li>
 *   <li>a name (requested host, else SNI) with {@code real-dns} on: real DNS on the DNS executor,
 *       never on the caller's thread; a loopback answer is preferred, any other needs
 *       {@code allow-non-loopback};</li>
 *   <li>else the name is unknown.</li>
 * </ol>
 * Answers without DNS come back as completed futures; DNS answers complete on
 * {@link GlobalEventExecutor}'s thread (callers re-enter their own event loop). Immutable and
 * thread-safe.
 */
public final class SimnetResolver implements UpstreamResolver {

    /** Blocking name lookup; real DNS is {@link InetAddress#getAllByName}. */
    @FunctionalInterface
    interface NameLookup {
        InetAddress[] lookup(String name) throws UnknownHostException;
    }

    private static final String NON_LOOPBACK_HINT = " (set simnet.allow-non-loopback: true to allow)";

    private final SimnetSettings settings;
    private final Function<ServerKind, InetSocketAddress> servers;
    private final Executor dnsExecutor;
    private final NameLookup lookup;

    /** Routes to the addresses of running {@code servers}. */
    public SimnetResolver(SimnetSettings settings, SimnetServers servers, Executor dnsExecutor) {
        this(settings, Objects.requireNonNull(servers, "servers")::address, dnsExecutor);
    }

    /**
     * @param servers     the address of each built-in server
     * @param dnsExecutor runs blocking DNS lookups (only used with {@code real-dns})
     */
    public SimnetResolver(SimnetSettings settings, Function<ServerKind, InetSocketAddress> servers, Executor dnsExecutor) {
        this(settings, servers, dnsExecutor, InetAddress::getAllByName);
    }

    SimnetResolver(SimnetSettings settings, Function<ServerKind, InetSocketAddress> servers, Executor dnsExecutor,
                   NameLookup lookup) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.servers = Objects.requireNonNull(servers, "servers");
        this.dnsExecutor = Objects.requireNonNull(dnsExecutor, "dnsExecutor");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * The first route that matches {@code flow} by host, SNI or address, or null if none does or
     * simnet is disabled.
     */
    public SimnetRoute routeFor(Flow flow) {
        if (!settings.enabled()) {
            return null;
        }
        for (SimnetRoute r : settings.routes()) {
            if (matches(r, flow)) {
                return r;
            }
        }
        return null;
    }

    private static boolean matches(SimnetRoute r, Flow flow) {
        if (r.host() != null && (r.host().matches(flow.host()) || r.host().matches(flow.sni()))) {
            return true;
        }
        return r.cidr() != null && r.cidr().contains(flow.ip());
    }

    @Override
    public Future<UpstreamTarget> resolve(Flow flow) {
        Objects.requireNonNull(flow, "flow");
        SimnetRoute route = routeFor(flow);
        if (route != null && route.server() == ServerKind.LOOPBACK) {
            return done(UpstreamTarget.of(new InetSocketAddress(NetUtil.LOCALHOST4, flow.port()), route.service()));
        }
        if (route != null) {
            InetSocketAddress server = servers.apply(route.server());
            if (server == null) {
                return ImmediateEventExecutor.INSTANCE.newFailedFuture(new IllegalStateException(
                        "simnet " + route.server() + " server of the route at " + route.location() + " is not running"));
            }
            return done(UpstreamTarget.of(server, route.service()));
        }
        if (flow.ip() != null) {
            return done(direct(flow.ip(), flow.port()));
        }
        String name = flow.host() != null ? flow.host() : flow.sni();
        if (name == null) {
            return done(UpstreamTarget.unknownHost("no destination: the flow names no host, SNI or address"));
        }
        if (!settings.realDns()) {
            return done(UpstreamTarget.unknownHost(settings.enabled()
                    ? "unknown host in the simulated network: " + name
                    : "unknown host " + name + ": simnet is disabled and real DNS is off"
                            + " (set simnet.real-dns: true to resolve names)"));
        }
        return lookUp(name, flow.port());
    }

    private UpstreamTarget direct(IpAddress ip, int port) {
        if (!ip.isLoopback() && !settings.allowNonLoopback()) {
            return UpstreamTarget.notAllowed("destination " + ip + " is outside loopback and no simnet route covers it"
                    + NON_LOOPBACK_HINT);
        }
        return UpstreamTarget.of(new InetSocketAddress(toInetAddress(ip), port), null);
    }

    private Future<UpstreamTarget> lookUp(String name, int port) {
        Promise<UpstreamTarget> promise = GlobalEventExecutor.INSTANCE.newPromise();
        try {
            dnsExecutor.execute(() -> {
                try {
                    promise.trySuccess(pick(name, lookup.lookup(name), port));
                } catch (UnknownHostException e) {
                    promise.trySuccess(UpstreamTarget.unknownHost("unknown host " + name + ": real DNS has no address for it"));
                } catch (Throwable t) {
                    promise.tryFailure(t);
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFailure(e);
        }
        return promise;
    }

    private UpstreamTarget pick(String name, InetAddress[] found, int port) {
        if (found == null || found.length == 0) {
            return UpstreamTarget.unknownHost("unknown host " + name + ": real DNS has no address for it");
        }
        for (InetAddress a : found) {
            if (a.isLoopbackAddress()) {
                return UpstreamTarget.of(new InetSocketAddress(a, port), null);
            }
        }
        if (!settings.allowNonLoopback()) {
            return UpstreamTarget.notAllowed(name + " resolves to "
                    + Arrays.stream(found).map(InetAddress::getHostAddress).toList() + ", outside loopback"
                    + NON_LOOPBACK_HINT);
        }
        return UpstreamTarget.of(new InetSocketAddress(found[0], port), null);
    }

    private static Future<UpstreamTarget> done(UpstreamTarget target) {
        return ImmediateEventExecutor.INSTANCE.newSucceededFuture(target);
    }

    /** The address as an {@link InetAddress}, without any lookup. */
    static InetAddress toInetAddress(IpAddress ip) {
        byte[] b = new byte[ip.isV4() ? 4 : 16];
        if (ip.isV4()) {
            long v = ip.lo();
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (v >>> (24 - 8 * i));
            }
        } else {
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (ip.hi() >>> (56 - 8 * i));
                b[i + 8] = (byte) (ip.lo() >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always accepted", e);
        }
    }
}
