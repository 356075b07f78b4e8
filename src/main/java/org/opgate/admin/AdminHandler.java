package org.opgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes admin requests. Every answer is JSON (except {@code /metrics}, Prometheus text, and
 * {@code /report/authority?format=csv}); every refusal says what was expected:
 * 401 without the bearer token, 403 with a wrong one, 404 unknown path, 405 wrong method
 * (with {@code Allow}), 400 bad parameters, 413 body too large (by {@link AdminAggregator}).
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, List<HttpMethod>> ROUTES = new LinkedHashMap<>();

    static {
        ROUTES.put("/health", List.of(HttpMethod.GET));
        ROUTES.put("/config", List.of(HttpMethod.GET));
        ROUTES.put("/reload", List.of(HttpMethod.POST));
        ROUTES.put("/clock", List.of(HttpMethod.GET, HttpMethod.PUT));
        ROUTES.put("/explain", List.of(HttpMethod.GET));
        ROUTES.put("/tunnels", List.of(HttpMethod.GET));
        ROUTES.put("/decisions", List.of(HttpMethod.GET));
        ROUTES.put("/events", List.of(HttpMethod.GET));
        ROUTES.put("/dashboard", List.of(HttpMethod.GET));
        ROUTES.put("/report/authority", List.of(HttpMethod.GET));
        ROUTES.put("/metrics", List.of(HttpMethod.GET));
    }

    /** The dashboard's periodic snapshot event, sent only to subscribers that ask for it. */
    static final String TICK = "tick";
    static final long TICK_MILLIS = 500;
    private static final List<String> EVENT_TYPES = List.of("decision", "cut", "reload", "clock", TICK);
    /** The page loads only its own files and talks only to this server. */
    private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** One thread for reloads, off the event loops; the Reloader runs one at a time anyway. */
    private static final ExecutorService RELOADS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "opgate-reload");
        t.setDaemon(true);
        return t;
    });

    private final AdminApi api;
    private final byte[] token;

    AdminHandler(AdminApi api, String token) {
        this.api = api;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        try {
            if (!req.decoderResult().isSuccess()) {
                throw new AdminException(HttpResponseStatus.BAD_REQUEST, "malformed request", "HTTP/1.1");
            }
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String path = q.path();
            if (StaticAssets.isStaticPath(path)) {
                // The page and its files carry no data: public, so a browser can load the page and
                // then send the token (from the URL fragment, never sent to the server) with every call.
                serveStatic(ctx, req, path, keepAlive);
                return;
            }
            authorize(req);
            List<HttpMethod> allowed = ROUTES.get(path);
            if (allowed == null) {
                throw new AdminException(HttpResponseStatus.NOT_FOUND, "no endpoint " + path, "one of " + ROUTES.keySet());
            }
            if (!allowed.contains(req.method())) {
                FullHttpResponse r = json(HttpResponseStatus.METHOD_NOT_ALLOWED, error(req.method() + " is not allowed on "
                        + path, String.join(" or ", allowed.stream().map(HttpMethod::name).toList())));
                r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", allowed.stream().map(HttpMethod::name).toList()));
                send(ctx, r, keepAlive);
                return;
            }
            Map<String, String> params = new LinkedHashMap<>();
            q.parameters().forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(v.size() - 1)));
            route(ctx, req, path, params, keepAlive);
        } catch (AdminException e) {
            FullHttpResponse r = json(e.status(), error(e.getMessage(), e.expected()));
            if (e.status() == HttpResponseStatus.UNAUTHORIZED) {
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"opgate\"");
            }
            send(ctx, r, keepAlive);
        } catch (RuntimeException e) {
            LOG.warn("admin request {} {} failed", req.method(), req.uri(), e);
            send(ctx, json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("internal error: " + e, null)), false);
        }
    }

    private void authorize(FullHttpRequest req) {
        if (token == null) {
            return;
        }
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AdminException(HttpResponseStatus.UNAUTHORIZED, "missing bearer token",
                    "Authorization: Bearer <admin.token>");
        }
        byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new AdminException(HttpResponseStatus.FORBIDDEN, "wrong bearer token", "the token of admin.token");
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path, Map<String, String> q, boolean keepAlive) {
        switch (path) {
            case "/health" -> send(ctx, json(HttpResponseStatus.OK, api.health()), keepAlive);
            case "/config" -> send(ctx, json(HttpResponseStatus.OK, api.config()), keepAlive);
            case "/reload" -> {
                // Parsing a config takes a while: not on an event loop that also carries tunnels.
                CompletableFuture.supplyAsync(api::reload, RELOADS).whenComplete((r, e) -> ctx.executor().execute(() ->
                        send(ctx, e != null
                                ? json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error("reload failed: " + e, null))
                                : json(r.ok() ? HttpResponseStatus.OK : HttpResponseStatus.UNPROCESSABLE_ENTITY, r.record()),
                                keepAlive)));
            }
            case "/clock" -> send(ctx, json(HttpResponseStatus.OK,
                    req.method().equals(HttpMethod.PUT) ? api.setClock(body(req)) : api.clock()), keepAlive);
            case "/explain" -> send(ctx, json(HttpResponseStatus.OK, api.explain(q)), keepAlive);
            case "/tunnels" -> send(ctx, json(HttpResponseStatus.OK, api.tunnels()), keepAlive);
            case "/decisions" -> send(ctx, json(HttpResponseStatus.OK, api.decisions(limit(q))), keepAlive);
            case "/events" -> events(ctx, q);
            case "/dashboard" -> send(ctx, json(HttpResponseStatus.OK, api.dashboard()), keepAlive);
            case "/report/authority" -> report(ctx, q, keepAlive);
            case "/metrics" -> send(ctx, text(HttpResponseStatus.OK, api.metrics(),
                    "text/plain; version=0.0.4; charset=utf-8"), keepAlive);
            default -> throw new AdminException(HttpResponseStatus.NOT_FOUND, "no endpoint " + path, "one of " + ROUTES.keySet());
        }
    }

    private static int limit(Map<String, String> q) {
        String n = q.getOrDefault("limit", "100");
        try {
            int v = Integer.parseInt(n);
            if (v >= 1 && v <= EventHub.KEEP) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal
        }
        throw new AdminException(HttpResponseStatus.BAD_REQUEST, "limit '" + n + "' is not valid", "limit=1.." + EventHub.KEEP);
    }

    private void report(ChannelHandlerContext ctx, Map<String, String> q, boolean keepAlive) {
        String format = q.getOrDefault("format", "json");
        String revealText = q.getOrDefault("reveal", "false");
        if (!revealText.equals("true") && !revealText.equals("false")) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, "reveal '" + revealText + "' is not valid", "reveal=true or false");
        }
        boolean reveal = revealText.equals("true");
        switch (format) {
            case "json" -> send(ctx, json(HttpResponseStatus.OK, api.report().rows(reveal)), keepAlive);
            case "csv" -> send(ctx, text(HttpResponseStatus.OK, api.report().csv(reveal), "text/csv; charset=utf-8"), keepAlive);
            default -> throw new AdminException(HttpResponseStatus.BAD_REQUEST, "format '" + format + "' is not valid",
                    "format=json or csv");
        }
    }

    private void events(ChannelHandlerContext ctx, Map<String, String> q) {
        Set<String> types = eventTypes(q.get("types"));
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setTransferEncodingChunked(r, true);
        // Subscribe first: an event published from another thread is queued behind these headers
        // on this channel's event loop, so none falls between the headers and the subscription.
        api.events().subscribe(ctx.channel(), types);
        ctx.writeAndFlush(r);
        if (types.contains(TICK)) {
            // A dashboard snapshot every TICK_MILLIS on this channel's own event loop; it stops
            // with the channel, and a tick the client cannot take yet is dropped, not queued.
            ScheduledFuture<?> ticks = ctx.executor().scheduleAtFixedRate(() -> {
                try {
                    byte[] tick = EventHub.encode(TICK, api.dashboard());
                    if (tick != null) {
                        EventHub.send(ctx.channel(), tick);
                    }
                } catch (RuntimeException e) {
                    // One bad snapshot (a config swapped mid-read) must not end the ticks.
                    LOG.warn("dashboard tick failed", e);
                }
            }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
            ctx.channel().closeFuture().addListener(f -> ticks.cancel(false));
        }
    }

    /** {@code types=tick,clock}: the event types a subscriber asks for, or the default set. */
    private static Set<String> eventTypes(String param) {
        if (param == null) {
            return EventHub.DEFAULT_TYPES;
        }
        Set<String> types = new LinkedHashSet<>();
        for (String t : param.split(",")) {
            String type = t.trim();
            if (!EVENT_TYPES.contains(type)) {
                throw new AdminException(HttpResponseStatus.BAD_REQUEST, "event type '" + type + "' is not known",
                        "types=a comma-separated list of " + String.join(", ", EVENT_TYPES));
            }
            types.add(type);
        }
        return types;
    }

    private static void serveStatic(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean keepAlive) {
        StaticAssets.Asset a = StaticAssets.bundled().find(path);
        if (a == null) {
            throw new AdminException(HttpResponseStatus.NOT_FOUND, "no file " + path, "/ and the dashboard's files under /ui/");
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            FullHttpResponse r = json(HttpResponseStatus.METHOD_NOT_ALLOWED, error(req.method() + " is not allowed on "
                    + path, "GET or HEAD"));
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, r, keepAlive);
            return;
        }
        boolean fresh = a.etag().equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        boolean head = req.method().equals(HttpMethod.HEAD);
        ByteBuf body = fresh || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(a.body());
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                fresh ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
        if (!fresh) {
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
        }
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, a.cacheControl());
        r.headers().set(HttpHeaderNames.ETAG, a.etag());
        r.headers().set("X-Content-Type-Options", "nosniff");
        if (a.contentType().startsWith("text/html")) {
            r.headers().set("Content-Security-Policy", PAGE_POLICY);
            r.headers().set("Referrer-Policy", "no-referrer");
            r.headers().set("X-Frame-Options", "DENY");
        }
        send(ctx, r, keepAlive);
    }

    private static Map<String, Object> body(FullHttpRequest req) {
        String text = req.content().toString(StandardCharsets.UTF_8);
        try {
            Map<String, Object> m = JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
            if (m == null) {
                throw new AdminException(HttpResponseStatus.BAD_REQUEST, "empty body", "a JSON object");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, "body is not a JSON object: " + e.getOriginalMessage(),
                    "a JSON object like {\"instant\": \"2015-12-01T00:00+05:00\"}");
        }
    }

    static Map<String, Object> error(String message, String expected) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (expected != null) {
            m.put("expected", expected);
        }
        return m;
    }

    static FullHttpResponse json(HttpResponseStatus status, Object value) {
        try {
            return text(status, JSON.writeValueAsString(value) + "\n", "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
        return r;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
