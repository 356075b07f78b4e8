package org.opgate.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects Netty's leak reports ("LEAK: …") so {@link LeakCheck} can fail the build on them. */
public final class LeakLogAppender extends AppenderBase<ILoggingEvent> {

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("LEAK")) {
            REPORTS.add(event.getFormattedMessage());
        }
    }

    /** Returns and forgets the reports collected so far. */
    static List<String> drain() {
        List<String> out = List.copyOf(REPORTS);
        REPORTS.clear();
        return out;
    }
}
