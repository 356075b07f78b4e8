package org.opgate.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.opgate.admin.AdminApi;
import org.opgate.admin.AdminServer;
import org.opgate.admin.EventHub;
import org.opgate.admin.Reloader;
import org.opgate.admin.ScenarioFeed;
import org.opgate.clock.GatewayClock;
import org.opgate.config.OpgateConfig;
import org.opgate.gateway.Gateway;
import org.opgate.gateway.GatewayException;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.Observers;
import org.opgate.gateway.Transport;
import org.opgate.gateway.upstream.UpstreamResolver;
import org.opgate.metrics.DecisionLog;
import org.opgate.metrics.GatewayMetrics;
import org.opgate.report.AuthorityReport;

/**
 * What {@code opgate run} runs, wired once: the gateway with its observers (a caller's own, the
 * Prometheus metrics, the decision log if the config names one, the event hub, the authority
 * report), the reloader of the config path, and the admin API. The clock, the upstream resolver
 * (simnet) and the event loop groups belong to the caller. Tests start the same stack.
 *
 * <pre>
 * GatewayStack stack = GatewayStack.start(dir, cfg, clock, upstreams, console, transport, boss, workers);
 * System.out.println(stack.admin().describe());
 * …
 * stack.shutdown(Duration.ofSeconds(5));
 * </pre>
 */
public final class GatewayStack implements AutoCloseable {

    private final Gateway gateway;
    private final AdminServer admin;
    private final AdminApi api;
    private final Reloader reloader;
    private final PrometheusMeterRegistry prometheus;
    private final GatewayMetrics metrics;
    private final DecisionLog decisionLog;
    private final EventHub events;
    private final AuthorityReport report;

    private GatewayStack(Gateway gateway, AdminServer admin, AdminApi api, Reloader reloader, PrometheusMeterRegistry prometheus,
                         GatewayMetrics metrics, DecisionLog decisionLog, EventHub events, AuthorityReport report) {
        this.gateway = gateway;
        this.admin = admin;
        this.api = api;
        this.reloader = reloader;
        this.prometheus = prometheus;
        this.metrics = metrics;
        this.decisionLog = decisionLog;
        this.events = events;
        this.report = report;
    }

    /**
     * Starts the gateway and the admin API of {@code cfg}.
     *
     * @param configPath what reloads read again (the config directory or file as given)
     * @param observer   told about everything before metrics and logs (the console), or {@link GatewayObserver#NONE}
     * @throws GatewayException if a listener or the admin API cannot bind (everything started is closed again)
     * @throws UsageException   if the decision log's directory cannot be created
     */
    public static GatewayStack start(Path configPath, OpgateConfig cfg, GatewayClock clock, UpstreamResolver upstreams,
                                     GatewayObserver observer, Transport transport, EventLoopGroup boss,
                                     EventLoopGroup workers) throws GatewayException {
        AtomicReference<Gateway> running = new AtomicReference<>();
        Supplier<String> version = () -> running.get() == null ? cfg.version() : running.get().runtime().config().version();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        GatewayMetrics metrics = new GatewayMetrics(prometheus, clock);
        DecisionLog decisionLog = cfg.decisionLog() == null ? null : openLog(cfg.decisionLog(), clock, version);
        EventHub events = new EventHub(version);
        AuthorityReport report = new AuthorityReport(() -> running.get() == null ? cfg.reportClasses()
                : running.get().runtime().config().reportClasses());
        GatewayObserver all = Observers.of(observer, metrics,
                decisionLog == null ? GatewayObserver.NONE : decisionLog, events, report);
        Gateway gateway = null;
        try {
            gateway = Gateway.start(cfg, clock, upstreams, all, transport, boss, workers);
            running.set(gateway);
            metrics.bindGateway(gateway::runtime, gateway.tunnels(), workers);
            Reloader reloader = new Reloader(configPath, gateway, metrics, events, decisionLog);
            AdminApi api = new AdminApi(gateway, reloader, events, report, prometheus);
            AdminServer admin = AdminServer.start(cfg.admin(), cfg.limits().handshakeTimeout(), api, transport, boss, workers);
            gateway.ownSocket(admin.address(), "admin API");
            return new GatewayStack(gateway, admin, api, reloader, prometheus, metrics, decisionLog, events, report);
        } catch (GatewayException | RuntimeException e) {
            if (gateway != null) {
                gateway.close();
            }
            if (decisionLog != null) {
                decisionLog.close();
            }
            throw e;
        }
    }

    private static DecisionLog openLog(String path, GatewayClock clock, Supplier<String> version) {
        Path p = Path.of(path).toAbsolutePath();
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new UsageException("decision-log " + path + ": cannot create its directory (" + e.getMessage() + ")");
        }
        return DecisionLog.open(p.toString(), clock, version);
    }

    public Gateway gateway() {
        return gateway;
    }

    public AdminServer admin() {
        return admin;
    }

    /** Shows a running scenario on the dashboard and the admin API. */
    public void attachScenario(ScenarioFeed feed) {
        api.attach(feed);
    }

    public Reloader reloader() {
        return reloader;
    }

    public PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The decision log, or null if the config names none. */
    public DecisionLog decisionLog() {
        return decisionLog;
    }

    public EventHub events() {
        return events;
    }

    public AuthorityReport report() {
        return report;
    }

    /**
     * Closes the admin API, lets open tunnels finish for up to {@code drain} (see
     * {@link Gateway#shutdown}), then closes the decision log.
     */
    public void shutdown(Duration drain) {
        try {
            admin.close();
            gateway.shutdown(drain);
        } finally {
            if (decisionLog != null) {
                decisionLog.close();
            }
        }
    }

    /** Closes everything at once: {@link #shutdown} without a drain. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
