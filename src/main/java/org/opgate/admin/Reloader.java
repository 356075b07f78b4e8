package org.opgate.admin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.config.ConfigError;
import org.opgate.config.ConfigException;
import org.opgate.config.ConfigLoader;
import org.opgate.config.OpgateConfig;
import org.opgate.gateway.Gateway;
import org.opgate.metrics.DecisionLog;
import org.opgate.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config from disk: {@code POST /reload}, SIGHUP and the directory watch all come
 * here. The whole new config is validated first; if it has errors the running one is untouched
 * and the errors are returned and logged. One reload at a time.
 */
public final class Reloader {

    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    private final Path configPath;
    private final Gateway gateway;
    private final GatewayMetrics metrics;
    private final EventHub events;
    private final DecisionLog decisionLog;

    /** @param metrics, decisionLog may be null */
    public Reloader(Path configPath, Gateway gateway, GatewayMetrics metrics, EventHub events, DecisionLog decisionLog) {
        this.configPath = configPath;
        this.gateway = gateway;
        this.metrics = metrics;
        this.events = events;
        this.decisionLog = decisionLog;
    }

    /**
     * The outcome of one reload.
     *
     * @param ok      whether the new config is in force
     * @param record  what to return and log: result, versions, errors or tunnels cut
     */
    public record Result(boolean ok, Map<String, Object> record) {
    }

    /** Reads the config path again, validates it and swaps it in. */
    public synchronized Result reload(String trigger) {
        Map<String, Object> r = start(trigger);
        OpgateConfig next;
        try {
            next = ConfigLoader.load(configPath);
        } catch (ConfigException e) {
            List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
            String oldVersion = gateway.runtime().config().version();
            r.put("result", "error");
            r.put("version", oldVersion);
            r.put("errors", errors);
            LOG.warn("reload ({}) refused, config {} stays in force:\n{}", trigger, oldVersion, String.join("\n", errors));
            record(false, r);
            return new Result(false, r);
        }
        return swap(next, r);
    }

    /**
     * Swaps in a config that is already loaded and validated (a scenario's revision at its
     * instant): logged, counted and published as a reload is, with {@code trigger} naming why.
     */
    public synchronized Result apply(OpgateConfig next, String trigger) {
        return swap(next, start(trigger));
    }

    private Map<String, Object> start(String trigger) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "reload");
        r.put("time", String.valueOf(gateway.clock().instant()));
        r.put("trigger", trigger);
        return r;
    }

    private Result swap(OpgateConfig next, Map<String, Object> r) {
        Gateway.ReloadResult done = gateway.reload(next);
        r.put("result", "ok");
        r.put("oldVersion", done.oldVersion());
        r.put("newVersion", done.newVersion());
        r.put("tunnelsCut", done.cut());
        if (!done.needRestart().isEmpty()) {
            r.put("needRestart", done.needRestart());
        }
        LOG.warn("reload ({}): config {} -> {}, {} tunnels cut{}", r.get("trigger"), done.oldVersion(), done.newVersion(),
                done.cut(), done.needRestart().isEmpty() ? "" : "; restart to apply " + done.needRestart());
        record(true, r);
        return new Result(true, r);
    }

    private void record(boolean ok, Map<String, Object> r) {
        if (metrics != null) {
            metrics.reloaded(ok);
        }
        if (decisionLog != null) {
            decisionLog.event(r);
        }
        events.publish("reload", r);
    }
}
