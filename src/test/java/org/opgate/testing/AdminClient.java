package org.opgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The JDK HttpClient pointed at a harness's admin API (no proxy, bounded timeouts), with JSON
 * parsing for the answers.
 *
 * <pre>
 * AdminClient api = new AdminClient(gw);
 * JsonNode health = api.json(api.get("/health"));
 * HttpResponse&lt;String&gt; r = api.send("PUT", "/clock", "{\"jump\": \"PT1H\"}");
 * </pre>
 */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Await.DEFAULT;

    private final GatewayHarness gw;
    private final String token;
    private final HttpClient http;

    /** A client that sends no token. */
    public AdminClient(GatewayHarness gw) {
        this(gw, null);
    }

    /** A client that sends {@code Authorization: Bearer token} (unless null). */
    public AdminClient(GatewayHarness gw, String token) {
        this.gw = gw;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, null);
    }

    /** Sends {@code method pathAndQuery} with {@code body} (none if null) and reads the whole answer. */
    public HttpResponse<String> send(String method, String pathAndQuery, String body)
            throws IOException, InterruptedException {
        URI uri = gw.adminUri(pathAndQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body as JSON; fails naming the body if it is not JSON. */
    public static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** Parses one JSON text. */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** GETs {@code /metrics} and parses it. */
    public PrometheusText metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + r.statusCode() + ": " + r.body());
        }
        return PrometheusText.parse(r.body());
    }
}
