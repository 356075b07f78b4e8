package org.opgate.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.opgate.config.AdminSettings;
import org.opgate.gateway.GatewayException;
import org.opgate.gateway.Transport;

/**
 * The admin API's HTTP server: loopback by default, optional bearer token, JSON everywhere,
 * request bodies over {@link #MAX_BODY} refused with 413.
 */
public final class AdminServer implements AutoCloseable {

    static final int MAX_BODY = 64 * 1024;

    private final Channel server;

    private AdminServer(Channel server) {
        this.server = server;
    }

    /**
     * @param requestTimeout time a connection has to send a complete request, from its opening
     *                       and from each answer (the listeners' handshake timeout)
     */
    public static AdminServer start(AdminSettings settings, Duration requestTimeout, AdminApi api, Transport transport,
                                    EventLoopGroup boss, EventLoopGroup workers) throws GatewayException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http.codec", new HttpServerCodec(4096, 8192, 8192));
                        ch.pipeline().addLast("http.aggregate", new AdminAggregator());
                        ch.pipeline().addLast("request.timeout", new RequestTimeout(requestTimeout));
                        ch.pipeline().addLast("admin", new AdminHandler(api, settings.token()));
                    }
                });
        InetSocketAddress addr = new InetSocketAddress(settings.bind().host().toInetAddress(), settings.bind().port());
        var f = b.bind(addr).awaitUninterruptibly();
        if (!f.isSuccess()) {
            String why = String.valueOf(f.cause().getMessage());
            why = why.substring(why.lastIndexOf(": ") + 1).trim();
            throw new GatewayException("admin cannot bind " + settings.bind() + ": " + why, f.cause());
        }
        return new AdminServer(f.channel());
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** {@code listening admin 127.0.0.1:9090}. */
    public String describe() {
        return "listening admin " + address().getAddress().getHostAddress() + ":" + address().getPort();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
    }
}
