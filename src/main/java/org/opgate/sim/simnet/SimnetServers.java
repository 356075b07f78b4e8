package org.opgate.sim.simnet;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.opgate.config.SimnetRoute;
import org.opgate.config.SimnetRoute.ServerKind;

/**
 * The built-in servers of the simulated network, one of each {@link ServerKind}, bound to
 * 127.0.0.1 on ports the OS picks:
 * <ul>
 *   <li>{@link ServerKind#TLS}: real TLS with a self-signed certificate made at start, for any
 *       SNI. After the handshake, an HTTP/1.x request gets a page naming the service of the SNI
 *       (keep-alive honoured); any other bytes are echoed back unchanged.</li>
 *   <li>{@link ServerKind#SINK}: reads and discards everything, never writes.</li>
 *   <li>{@link ServerKind#HTTP}: plain HTTP/1.1, a page naming the service of the Host header.</li>
 *   <li>{@link ServerKind#ECHO}: every byte back.</li>
 *   <li>{@link ServerKind#SRP}: the SRP relay look-alike, see {@link SrpRelay}.</li>
 * </ul>
 * Services are named through the routes: the {@code service} of the first route whose host
 * pattern matches the name, else the name itself.
 *
 * <p>The event loop group belongs to the caller, who shuts it down after {@link #close()}.
 * Thread-safe.
 */
public final class SimnetServers {

    private final Map<ServerKind, InetSocketAddress> addresses;
    private final ChannelGroup channels;
    private final LongAdder sinkReceived;

    private SimnetServers(Map<ServerKind, InetSocketAddress> addresses, ChannelGroup channels, LongAdder sinkReceived) {
        this.addresses = addresses;
        this.channels = channels;
        this.sinkReceived = sinkReceived;
    }

    /**
     * Starts the servers on an NIO event loop group; see {@link #start(EventLoopGroup, Class, List)}.
     *
     * @throws IllegalArgumentException if {@code group} is not an NIO group
     */
    public static SimnetServers start(EventLoopGroup group, List<SimnetRoute> routes)
            throws IOException, InterruptedException {
        Objects.requireNonNull(group, "group");
        if (!(group instanceof IoEventLoopGroup io && io.isIoType(NioIoHandler.class))) {
            throw new IllegalArgumentException("event loop group " + group.getClass().getName()
                    + " is not NIO (expected: an NIO group, or pass the server channel class of its transport)");
        }
        return start(group, NioServerSocketChannel.class, routes);
    }

    /**
     * Makes the certificate and binds the three servers. Blocks (key generation, binding), so
     * never call it on an event loop.
     *
     * @param group       the event loop group to serve on; the caller owns it
     * @param channelType the server channel class of the group's transport, such as
     *                    {@code NioServerSocketChannel} or {@code EpollServerSocketChannel}
     * @param routes      the simnet routes that name services, in first-match order
     * @throws IOException if the certificate cannot be made or a server cannot bind; servers
     *                     already bound are closed again
     */
    public static SimnetServers start(EventLoopGroup group, Class<? extends ServerChannel> channelType,
                                      List<SimnetRoute> routes) throws IOException, InterruptedException {
        return start(group, channelType, routes, org.opgate.clock.GatewayClock.real());
    }

    /**
     * As {@link #start(EventLoopGroup, Class, List)}, with the clock whose minutes the SRP relay
     * counts logins in (the gateway's clock, simulated in a scenario).
     */
    public static SimnetServers start(EventLoopGroup group, Class<? extends ServerChannel> channelType,
                                      List<SimnetRoute> routes, java.time.Clock clock) throws IOException, InterruptedException {
        Objects.requireNonNull(group, "group");
        SrpRelay srpRelay = new SrpRelay(clock);
        Objects.requireNonNull(channelType, "channelType");
        ServiceDirectory services = new ServiceDirectory(routes);
        SslContext sslContext = selfSignedContext();
        ChannelGroup channels = new DefaultChannelGroup("simnet", GlobalEventExecutor.INSTANCE);
        LongAdder sinkReceived = new LongAdder();
        Map<ServerKind, InetSocketAddress> addresses = new EnumMap<>(ServerKind.class);
        boolean started = false;
        try {
            for (ServerKind kind : ServerKind.values()) {
                ChannelInitializer<Channel> init = switch (kind) {
                    case TLS -> SimnetPipelines.tls(channels, sslContext, services);
                    case SINK -> SimnetPipelines.sink(channels, sinkReceived);
                    case HTTP -> SimnetPipelines.http(channels, services);
                    case ECHO -> SimnetPipelines.echo(channels);
                    case SRP -> SimnetPipelines.srp(channels, srpRelay);
                    case LOOPBACK -> null; // not a built-in server
                };
                if (init == null) {
                    continue;
                }
                Channel server = bind(group, channelType, init, kind);
                channels.add(server);
                addresses.put(kind, (InetSocketAddress) server.localAddress());
            }
            started = true;
        } finally {
            if (!started) {
                channels.close().awaitUninterruptibly();
            }
        }
        return new SimnetServers(Map.copyOf(addresses), channels, sinkReceived);
    }

    private static Channel bind(EventLoopGroup group, Class<? extends ServerChannel> channelType,
                                ChannelInitializer<Channel> init, ServerKind kind) throws IOException, InterruptedException {
        ChannelFuture f = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childHandler(init)
                .bind(NetUtil.LOCALHOST4, 0)
                .await();
        if (!f.isSuccess()) {
            throw new IOException("simnet " + kind + " server cannot bind " + NetUtil.LOCALHOST4.getHostAddress()
                    + ":0: " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    // SelfSignedCertificate is deprecated in Netty 4.2 in favour of netty-pkitesting's
    // CertificateBuilder, a test module; for a simulated server it is exactly what is needed.
    @SuppressWarnings("deprecation")
    private static SslContext selfSignedContext() throws IOException {
        SelfSignedCertificate cert;
        try {
            cert = SelfSignedCertificate.builder().fqdn("simnet.opgate.invalid").algorithm("EC").bits(256).build();
        } catch (CertificateException e) {
            throw new IOException("simnet TLS server cannot make its self-signed certificate: " + e.getMessage(), e);
        }
        try {
            return SslContextBuilder.forServer(cert.key(), cert.cert()).build();
        } finally {
            // The key and certificate are in memory now; the temporary files are not needed.
            cert.delete();
        }
    }

    /** Where the server of {@code kind} listens (127.0.0.1 and its port); null for {@link ServerKind#LOOPBACK}. */
    public InetSocketAddress address(ServerKind kind) {
        return addresses.get(Objects.requireNonNull(kind, "kind"));
    }

    /** Bytes the sink has read and discarded since start, over all its connections. */
    public long sinkBytesReceived() {
        return sinkReceived.sum();
    }

    /**
     * Closes the servers and every connection they accepted.
     *
     * @return completes when all are closed
     */
    public Future<Void> close() {
        return channels.close();
    }
}
