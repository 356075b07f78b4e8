package org.opgate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.opgate.config.OpgateConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opgate report}: fetches the authority report from a running gateway's admin API, as
 * CSV (default) or JSON. Subscribers are pseudonymised unless {@code --reveal} is given.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the authority report of a running gateway (per operator, subscriber and class).")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "F", defaultValue = "csv", description = "csv or json. Default: csv.")
    String format;

    @Option(names = "--reveal", description = "Show subscriber ids instead of pseudonyms.")
    boolean reveal;

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "Admin API address. Default: admin.bind of the config.")
    String admin;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:OPGATE_ADMIN_TOKEN}",
            description = "Bearer token. Default: $OPGATE_ADMIN_TOKEN, else admin.token of the config.")
    String token;

    @Option(names = "--config", paramLabel = "DIR", defaultValue = ConfigOptions.DEFAULT_DIR,
            description = "Config directory, for the admin address and token. Default: $OPGATE_CONFIG, else ./config.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (!format.equals("csv") && !format.equals("json")) {
            throw new UsageException("--format " + format + " (expected: csv or json)");
        }
        String address = admin;
        String bearer = token;
        if (address != null) {
            checkAddress(address);
        }
        // The config is read only for what the command line does not give. With --admin and no
        // --config, the default config may be another gateway's, so a missing token means none;
        // with --config given, its admin.token is the default of --token, as --help says.
        boolean configGiven = spec.commandLine().getParseResult().hasMatchedOption("--config");
        if (address == null || (bearer == null && configGiven)) {
            OpgateConfig cfg = ConfigOptions.load(config, "report", spec.commandLine().getErr());
            if (cfg == null) {
                return ExitCodes.USAGE;
            }
            if (address == null && cfg.admin().bind().port() == 0) {
                throw new UsageException("admin.bind of " + config + " is port 0, a free port chosen when the gateway"
                        + " starts (expected: --admin HOST:PORT, the address on the gateway's 'listening admin' line)");
            }
            address = address == null ? cfg.admin().bind().toString() : address;
            bearer = bearer == null ? cfg.admin().token() : bearer;
        }
        URI uri;
        try {
            uri = URI.create("http://" + address + "/report/authority?format=" + format + "&reveal=" + reveal);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--admin " + address + " is not an address (expected: host:port like 127.0.0.1:9090)");
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            req.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> resp;
        try {
            resp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UsageException("cannot reach the admin API at " + address + ": " + why(e)
                    + " (expected: a gateway started with opgate run)");
        }
        if (resp.statusCode() != 200) {
            throw new UsageException("admin API answered " + resp.statusCode() + ": " + oneLine(resp.body()));
        }
        out.print(resp.body());
        out.flush();
        return ExitCodes.OK;
    }

    /** A {@code --admin} without a port, or with one outside 1..65535, is a usage error, not a failed request. */
    private static void checkAddress(String address) {
        int colon = address.lastIndexOf(':');
        String port = colon < 0 ? "" : address.substring(colon + 1);
        if (colon <= 0 || !port.matches("[0-9]{1,9}")) {
            throw new UsageException("--admin " + address + " is not an address (expected: host:port like 127.0.0.1:9090)");
        }
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
            throw new UsageException("--admin " + address + ": port " + p + " is out of range (expected: 1..65535)");
        }
    }

    /** What went wrong, in words: the JDK HttpClient's connect failures carry no message. */
    private static String why(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException) {
                return "unknown host";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    /** An admin error body ({@code {"error": …, "expected": …}}, pretty printed) as one line. */
    private static String oneLine(String body) {
        try {
            JsonNode j = new ObjectMapper().readTree(body);
            if (j != null && j.hasNonNull("error")) {
                return j.get("error").asText() + (j.hasNonNull("expected") ? " (expected: " + j.get("expected").asText() + ")" : "");
            }
        } catch (JsonProcessingException e) {
            // Not JSON: fall through to the text.
        }
        return body.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
