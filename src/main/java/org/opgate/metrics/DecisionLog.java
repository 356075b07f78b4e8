package org.opgate.metrics;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.opgate.clock.GatewayClock;
import org.opgate.gateway.GatewayObserver;
import org.opgate.gateway.enforce.Outcome;
import org.opgate.gateway.enforce.Tunnel;
import org.slf4j.LoggerFactory;

/**
 * The decision log: one JSON line per decision, refusal and tunnel end (bytes each way, duration,
 * how it ended), written through a rolling Logback file appender (50 MB files, 5 kept), so it can
 * be read with {@code jq}. Times are gateway-clock instants.
 */
public final class DecisionLog implements GatewayObserver, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers the loggers, so two logs in one process (two gateways, tests) never share one. */
    private static final AtomicInteger OPENED = new AtomicInteger();

    private final Logger logger;
    private final RollingFileAppender<ILoggingEvent> appender;
    private final GatewayClock clock;
    private final Supplier<String> configVersion;

    private DecisionLog(Logger logger, RollingFileAppender<ILoggingEvent> appender, GatewayClock clock,
                        Supplier<String> configVersion) {
        this.logger = logger;
        this.appender = appender;
        this.clock = clock;
        this.configVersion = configVersion;
    }

    /** Opens (appends to) the log at {@code path}, rolling to {@code path.1} … {@code path.5}. */
    public static DecisionLog open(String path, GatewayClock clock, Supplier<String> configVersion) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(ctx);
        appender.setName("decision-log");
        appender.setFile(path);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(appender);
        rolling.setFileNamePattern(path + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf("50MB"));
        trigger.start();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%msg%n");
        encoder.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder);
        appender.start();
        Logger logger = ctx.getLogger("opgate.decisions." + OPENED.incrementAndGet());
        logger.setAdditive(false);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(appender);
        return new DecisionLog(logger, appender, clock, configVersion);
    }

    private void write(Map<String, Object> record) {
        try {
            logger.info(JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            logger.warn("cannot write a decision record: {}", e.toString());
        }
    }

    @Override
    public void decided(String listener, Outcome outcome) {
        write(DecisionRecords.decision(listener, outcome, configVersion.get()));
    }

    @Override
    public void refused(String listener, String reason, String detail) {
        write(DecisionRecords.refusal(listener, reason, detail, clock.instant()));
    }

    @Override
    public void tunnelClosed(Tunnel tunnel) {
        write(DecisionRecords.tunnelEnd(tunnel, clock.instant()));
    }

    @Override
    public void cut(Tunnel tunnel, Instant boundary) {
        write(DecisionRecords.cut(tunnel, boundary));
    }

    /** Writes a line about a reload (old and new version) or a clock change. */
    public void event(Map<String, Object> record) {
        write(record);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
