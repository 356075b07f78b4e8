package org.opgate.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** System time; the only place opgate reads it. Cannot be set or paused. */
final class RealClock extends GatewayClock {

    private final Clock system;

    RealClock(Clock system) {
        this.system = system;
    }

    @Override
    public Instant instant() {
        return system.instant();
    }

    @Override
    public boolean isSimulated() {
        return false;
    }

    @Override
    public double rate() {
        return 1;
    }

    @Override
    public boolean isPaused() {
        return false;
    }

    @Override
    protected long realNanosUntil(Instant target) {
        Duration d = Duration.between(instant(), target);
        if (d.isNegative()) {
            return 0;
        }
        return d.getSeconds() > Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE : d.toNanos();
    }
}
