package org.opgate.sim.simnet;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Mapping;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pipelines of the built-in servers, drawn once, with the handler names:
 *
 * <pre>
 * TLS:   sni ──► sniff ──► errors          sni: SniHandler, any name gets the one certificate,
 *                  │                            then replaces itself with an SslHandler
 *                  ├─ HTTP ─► http-codec ─► http-keep-alive ─► http-aggregator ─► page ─► errors
 *                  └─ else ─► echo ─► errors
 * SINK:  sink ──► errors
 * HTTP:  http-codec ──► http-keep-alive ──► http-aggregator ──► page ──► errors
 * ECHO:  echo ──► errors
 * SRP:   srp-login ──► errors          srp-login: the SRP id rule, then replaces itself with echo
 * </pre>
 *
 * Every accepted connection joins {@code channels}, so closing the servers closes it too.
 */
final class SimnetPipelines {

    static final String SNI = "sni";
    static final String SNIFF = "sniff";
    static final String HTTP_CODEC = "http-codec";
    static final String HTTP_KEEP_ALIVE = "http-keep-alive";
    static final String HTTP_AGGREGATOR = "http-aggregator";
    static final String PAGE = "page";
    static final String ECHO = "echo";
    static final String SINK = "sink";
    static final String SRP_LOGIN = "srp-login";
    static final String ERRORS = "errors";

    /** Largest request body the page server reads (it ignores bodies; larger ones get 413). */
    static final int MAX_REQUEST_BODY = 64 * 1024;
    /** Largest ClientHello the SNI handler buffers. */
    static final int MAX_CLIENT_HELLO = 16 * 1024;
    /** A client that has not finished its ClientHello by then is dropped. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /**
     * Time a client has to finish the TLS handshake after its ClientHello. Long, because simulated
     * subscribers send a ClientHello, read the ServerHello and then hold the connection for their
     * simulated session (a BES server's SRP link: seconds to minutes of real time) without ever
     * finishing the handshake; the gateway's idle timeout still ends connections nobody uses.
     */
    static final long TLS_HANDSHAKE_TIMEOUT_MILLIS = 600_000;

    private SimnetPipelines() {
    }

    static ChannelInitializer<Channel> tls(ChannelGroup channels, SslContext sslContext, ServiceDirectory services) {
        Mapping<String, SslContext> anyName = name -> sslContext;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                ch.pipeline()
                        .addLast(SNI, new SniHandler(anyName, MAX_CLIENT_HELLO, HANDSHAKE_TIMEOUT_MILLIS) {
                            @Override
                            protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
                                SslHandler handler = super.newSslHandler(context, allocator);
                                handler.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT_MILLIS);
                                return handler;
                            }
                        })
                        .addLast(SNIFF, new ProtocolSniffer(services))
                        .addLast(ERRORS, CloseOnError.INSTANCE);
            }
        };
    }

    static ChannelInitializer<Channel> sink(ChannelGroup channels, LongAdder received) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                ch.pipeline()
                        .addLast(SINK, new SinkHandler(received))
                        .addLast(ERRORS, CloseOnError.INSTANCE);
            }
        };
    }

    static ChannelInitializer<Channel> echo(ChannelGroup channels) {
        return oneHandler(channels, ECHO, EchoHandler::new);
    }

    static ChannelInitializer<Channel> srp(ChannelGroup channels, SrpRelay relay) {
        return oneHandler(channels, SRP_LOGIN, () -> new SrpLoginHandler(relay));
    }

    /** A pipeline of one handler of its own per connection, then {@link #ERRORS}. */
    private static ChannelInitializer<Channel> oneHandler(ChannelGroup channels, String name,
                                                          java.util.function.Supplier<io.netty.channel.ChannelHandler> handler) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                ch.pipeline().addLast(name, handler.get()).addLast(ERRORS, CloseOnError.INSTANCE);
            }
        };
    }

    static ChannelInitializer<Channel> http(ChannelGroup channels, ServiceDirectory services) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                channels.add(ch);
                ch.pipeline().addLast(ERRORS, CloseOnError.INSTANCE);
                addHttp(ch.pipeline(), services, null);
            }
        };
    }

    /** Puts the HTTP page handlers just before {@link #ERRORS}, which ends every simnet pipeline. */
    static void addHttp(ChannelPipeline p, ServiceDirectory services, String sni) {
        p.addBefore(ERRORS, HTTP_CODEC, new HttpServerCodec())
                .addAfter(HTTP_CODEC, HTTP_KEEP_ALIVE, new HttpServerKeepAliveHandler())
                .addAfter(HTTP_KEEP_ALIVE, HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BODY))
                .addAfter(HTTP_AGGREGATOR, PAGE, new ServicePageHandler(services, sni));
    }

    /** Puts the echo just before {@link #ERRORS}. */
    static void addEcho(ChannelPipeline p) {
        p.addBefore(ERRORS, ECHO, new EchoHandler());
    }
}
