package org.opgate.gateway.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import org.opgate.config.ListenerSpec;
import org.opgate.flow.IpAddress;
import org.opgate.gateway.GatewayContext;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.relay.Relay;
import org.opgate.gateway.upstream.UpstreamTarget;

/**
 * Forward proxying of absolute-URI requests on one client connection: one decision per request,
 * requests served in order (a pipelined request waits for the previous response), the upstream
 * connection kept while requests go to the same host and port. Every HTTP object handed in is
 * owned here until it is written upstream or released.
 *
 * <p>All state lives on the client's event loop (the upstream connects on the same loop).
 */
final class ForwardSession {

    private enum State { IDLE, CONNECTING, SENDING, AWAITING_RESPONSE, DISCARDING, CLOSED }

    private final GatewayContext gw;
    private final ListenerSpec listener;
    private final ChannelHandlerContext client;
    /** Requests ({@link Pending}) and body parts ({@link HttpContent}) in arrival order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private State state = State.IDLE;
    private Channel upstream;
    private String upstreamKey;
    private boolean clientKeepAlive = true;
    /** Whether the upstream has begun its response to the request in progress. */
    private boolean responseStarted;

    ForwardSession(GatewayContext gw, ListenerSpec listener, ChannelHandlerContext client) {
        this.gw = gw;
        this.listener = listener;
        this.client = client;
    }

    /** Takes ownership of a request (and its user name) to serve in order. */
    void request(ChannelHandlerContext ctx, HttpRequest req, String username, IpAddress from) {
        queue.add(new Pending(req, username, from));
        pump();
    }

    /** Takes ownership of a piece of request body. */
    void content(ChannelHandlerContext ctx, HttpContent c) {
        if (c.decoderResult().isFailure()) {
            // A malformed body (a bad chunk size, say): the decoder reads nothing more on this
            // connection, so it is answered in turn and closed, never left waiting for requests.
            queue.add(new Malformed("malformed HTTP request body: " + c.decoderResult().cause().getMessage()));
            ReferenceCountUtil.release(c);
        } else {
            queue.add(c);
        }
        pump();
    }

    /** Where a request body turned out malformed, in the queue's order. */
    private record Malformed(String why) {
    }

    /** A request with the facts read off its connection. */
    private record Pending(HttpRequest request, String username, IpAddress from) {
    }

    private void pump() {
        while (!queue.isEmpty()) {
            switch (state) {
                case IDLE -> {
                    Object next = queue.poll();
                    if (next instanceof Pending p) {
                        start(p);
                    } else if (next instanceof Malformed m) {
                        malformed(m);
                    } else {
                        // Body of a request already answered: nothing to do with it.
                        ReferenceCountUtil.release(next);
                    }
                }
                case SENDING -> {
                    Object next = queue.poll();
                    if (next instanceof HttpContent c) {
                        boolean last = c instanceof LastHttpContent;
                        upstream.write(c, upstream.voidPromise());
                        if (last) {
                            upstream.flush();
                            state = State.AWAITING_RESPONSE;
                        }
                    } else if (next instanceof Malformed m) {
                        malformed(m);
                    } else {
                        // A request without its body's end: the decoder never does this; drop it.
                        ReferenceCountUtil.release(next);
                    }
                }
                case DISCARDING -> {
                    Object next = queue.poll();
                    if (next instanceof Malformed m) {
                        malformed(m);
                        continue;
                    }
                    boolean last = next instanceof LastHttpContent;
                    ReferenceCountUtil.release(next);
                    if (last) {
                        state = clientKeepAlive ? State.IDLE : State.CLOSED;
                    }
                }
                case CLOSED -> {
                    Object o = queue.poll();
                    ReferenceCountUtil.release(o instanceof Pending p ? p.request() : o);
                }
                default -> {
                    setReading(false);
                    return;
                }
            }
        }
        if (state == State.SENDING && upstream != null) {
            // The head and the body so far go out now, not with the body's end: a client that sent
            // Expect: 100-continue waits for the upstream's answer to the head before its body.
            upstream.flush();
        }
        setReading(state == State.IDLE || state == State.SENDING || state == State.DISCARDING);
    }

    private void setReading(boolean on) {
        boolean writable = upstream == null || state != State.SENDING || upstream.isWritable();
        client.channel().config().setAutoRead(on && writable);
    }

    private void start(Pending p) {
        HttpRequest req = p.request();
        clientKeepAlive = HttpUtil.isKeepAlive(req);
        URI uri;
        try {
            uri = new URI(req.uri());
        } catch (URISyntaxException e) {
            refuse(req, HttpResponseStatus.BAD_REQUEST, "bad-request", "malformed URL: " + e.getMessage());
            return;
        }
        String host = uri.getHost();
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        if (host == null || port < 1 || port > 65535) {
            refuse(req, HttpResponseStatus.BAD_REQUEST, "bad-request", "URL '" + req.uri() + "' has no valid host and port");
            return;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Outcome outcome;
        try {
            outcome = gw.decider().decide(listener, host, null, port, p.username(), p.from());
        } catch (IllegalArgumentException e) {
            refuse(req, HttpResponseStatus.BAD_REQUEST, "bad-request", "URL host: " + e.getMessage());
            return;
        }
        gw.observer().decided(listener.name(), outcome);
        if (!outcome.allowed()) {
            ReferenceCountUtil.release(req);
            answerAndDiscard(HttpResponseStatus.FORBIDDEN, outcome.decision().reason());
            return;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        req.setUri(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        for (String hop : new String[] {"Proxy-Authorization", "Proxy-Connection", "Connection", "Keep-Alive", "TE",
                "Trailer", "Upgrade"}) {
            req.headers().remove(hop);
        }
        req.headers().set(HttpHeaderNames.HOST, port == 80 ? host : host + ":" + port);
        String key = host + ":" + port;
        if (upstream != null && upstream.isActive() && key.equals(upstreamKey)) {
            send(req);
            return;
        }
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        state = State.CONNECTING;
        Future<UpstreamTarget> resolving = gw.upstreams().resolve(outcome.flow());
        resolving.addListener(f -> client.executor().execute(() -> connect(req, key, resolving)));
    }

    private void connect(HttpRequest req, String key, Future<UpstreamTarget> resolving) {
        if (state == State.CLOSED) {
            ReferenceCountUtil.release(req);
            return;
        }
        UpstreamTarget target = resolving.isSuccess() ? resolving.getNow() : null;
        if (target == null || !target.ok()) {
            ReferenceCountUtil.release(req);
            String why = target == null ? "cannot resolve: " + resolving.cause() : target.refusal();
            gw.observer().refused(listener.name(), target != null && target.kind() == UpstreamTarget.Refusal.NOT_ALLOWED
                    ? "not-allowed" : "unknown-host", why);
            answerAndDiscard(HttpResponseStatus.BAD_GATEWAY, why);
            pump();
            return;
        }
        ChannelFuture cf = Relay.connect(client.channel(), target.address(), gw.limits(), gw.transport(),
                new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(4096, gw.limits().maxHeaderBytes(), 8192));
                        ch.pipeline().addLast(new ResponseRelay(ch));
                    }
                });
        cf.addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess() || state == State.CLOSED) {
                ReferenceCountUtil.release(req);
                if (state != State.CLOSED) {
                    gw.observer().refused(listener.name(), "connect-failed", String.valueOf(done.cause()));
                    answerAndDiscard(HttpResponseStatus.BAD_GATEWAY, "cannot connect to " + key + ": "
                            + (done.cause() == null ? "closed" : done.cause().getMessage()));
                    pump();
                }
                done.channel().close();
                return;
            }
            upstream = done.channel();
            upstreamKey = key;
            upstream.config().setAutoRead(client.channel().isWritable());
            send(req);
        });
    }

    private void send(HttpRequest req) {
        state = State.SENDING;
        responseStarted = false;
        upstream.write(req, upstream.voidPromise());
        pump();
    }

    private void refuse(HttpRequest req, HttpResponseStatus status, String reason, String detail) {
        ReferenceCountUtil.release(req);
        gw.observer().refused(listener.name(), reason, detail);
        answerAndDiscard(status, detail);
    }

    /**
     * Ends the connection at a malformed body: the upstream that has the request's head is
     * closed, and the client gets a 400 if its request has no answer yet.
     */
    private void malformed(Malformed m) {
        gw.observer().refused(listener.name(), "bad-request", m.why());
        boolean unanswered = state == State.SENDING && !responseStarted;
        state = State.CLOSED;
        if (upstream != null) {
            Channel u = upstream;
            upstream = null;
            u.close();
        }
        if (unanswered) {
            HttpReplies.refuse(client, HttpResponseStatus.BAD_REQUEST, m.why(), false);
        } else {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Answers the current request and drops its body. */
    private void answerAndDiscard(HttpResponseStatus status, String reason) {
        state = State.DISCARDING;
        HttpReplies.refuse(client, status, reason, clientKeepAlive);
    }

    /** Writes the upstream's response back to the client; ends the request at its last part. */
    private final class ResponseRelay extends ChannelInboundHandlerAdapter {
        private final Channel ch;
        /** Set from an interim response's head to its (empty) end. */
        private boolean interim;

        ResponseRelay(Channel ch) {
            this.ch = ch;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.CLOSED || ch != upstream) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpResponse r) {
                // An interim answer (100 Continue, 102, 103) is relayed; the request goes on to its final one.
                interim = r.status().codeClass() == HttpStatusClass.INFORMATIONAL
                        && r.status().code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
                if (!interim) {
                    HttpUtil.setKeepAlive(r, clientKeepAlive);
                    responseStarted = true;
                }
            }
            boolean last = msg instanceof LastHttpContent;
            if (!last) {
                client.write(msg, client.voidPromise());
                if (!client.channel().isWritable()) {
                    // A client that reads slower than the upstream sends: stop reading the upstream
                    // until the client has taken what is queued (clientWritable resumes it).
                    ch.config().setAutoRead(false);
                }
                return;
            }
            if (interim) {
                interim = false;
                client.write(msg, client.voidPromise());
                return;
            }
            ChannelFuture f = client.writeAndFlush(msg);
            if (!clientKeepAlive) {
                state = State.CLOSED;
                f.addListener(ChannelFutureListener.CLOSE);
                return;
            }
            state = State.IDLE;
            pump();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (state == State.SENDING) {
                client.channel().config().setAutoRead(ch.isWritable());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                // The upstream's end of stream (upstream channels allow half-closure, for tunnels):
                // the codec has already ended a response that ran until the close, and an HTTP
                // server that stops sending is done, so the connection is closed rather than kept
                // half-open, and channelInactive answers a request left without a response.
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ch != upstream) {
                return;
            }
            upstream = null;
            if (state != State.AWAITING_RESPONSE && state != State.SENDING) {
                return;
            }
            if (responseStarted) {
                // The upstream went away mid-response; the client cannot be answered properly.
                state = State.CLOSED;
                client.close();
                return;
            }
            boolean bodyStillComing = state == State.SENDING;
            String why = "upstream " + upstreamKey + " closed the connection before answering";
            gw.observer().refused(listener.name(), "upstream-closed", why);
            answerAndDiscard(HttpResponseStatus.BAD_GATEWAY, why);
            if (!bodyStillComing) {
                // The whole request was sent: no body parts are left to discard.
                state = clientKeepAlive ? State.IDLE : State.CLOSED;
            }
            pump();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The client's writability changed: the upstream's response is read only while the client keeps up. */
    void clientWritable(boolean writable) {
        if (upstream != null) {
            upstream.config().setAutoRead(writable);
        }
    }

    /** Releases everything still held; called when the client goes away. */
    void close() {
        state = State.CLOSED;
        while (!queue.isEmpty()) {
            Object o = queue.poll();
            ReferenceCountUtil.release(o instanceof Pending p ? p.request() : o);
        }
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
    }
}
