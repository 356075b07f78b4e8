package org.opgate.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Netty's warnings that an exception "reached at the tail of the pipeline" (no handler
 * of the gateway caught it), so robustness tests can demand there were none.
 */
public final class TailLogAppender extends AppenderBase<ILoggingEvent> {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("reached at the tail of the pipeline")) {
            REPORTS.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ": " + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage()));
        }
    }

    /** Returns and forgets the reports collected so far. */
    public static List<String> drain() {
        List<String> out = List.copyOf(REPORTS);
        REPORTS.clear();
        return out;
    }
}
