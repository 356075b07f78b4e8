package org.opgate.sim.simnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SrpRelayTest {

    private Instant now = Instant.parse("2015-12-01T00:00:00Z");
    private final SrpRelay relay = new SrpRelay(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    private boolean loginAfter(String id, Duration wait) {
        now = now.plus(wait);
        return relay.login(id);
    }

    @Test
    void fiveLoginsWithinAMinuteAreAdmitted() {
        for (int i = 0; i < 5; i++) {
            assertThat(loginAfter("S-1", Duration.ofSeconds(10))).as("login %d", i + 1).isTrue();
        }
    }

    @Test
    void theSixthLoginWithinAMinuteDisablesTheId() {
        for (int i = 0; i < 5; i++) {
            loginAfter("S-1", Duration.ofSeconds(10));
        }

        assertThat(loginAfter("S-1", Duration.ofSeconds(5))).isFalse();
        assertThat(relay.disabledIds()).isEqualTo(1);
    }

    @Test
    void aDisabledIdStaysDisabledLongAfter() {
        for (int i = 0; i < 6; i++) {
            loginAfter("S-1", Duration.ofSeconds(1));
        }

        assertThat(loginAfter("S-1", Duration.ofDays(14))).isFalse();
    }

    @Test
    void loginsSpreadOverMoreThanAMinuteAreNeverDisabled() {
        for (int i = 0; i < 50; i++) {
            assertThat(loginAfter("S-1", Duration.ofSeconds(13))).as("login %d", i + 1).isTrue();
        }
    }

    @Test
    void idsAreCountedApart() {
        for (int i = 0; i < 5; i++) {
            loginAfter("S-1", Duration.ofSeconds(1));
            relay.login("S-2");
        }

        assertThat(relay.login("S-3")).isTrue();
        assertThat(relay.disabledIds()).isZero();
    }
}
