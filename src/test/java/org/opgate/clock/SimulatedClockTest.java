package org.opgate.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class SimulatedClockTest {

    private static final Instant START = Instant.parse("2015-11-30T18:00:00Z");
    private static final Instant B1 = START.plusSeconds(600);
    private static final Instant B2 = START.plusSeconds(1200);
    private static final Instant B3 = START.plusSeconds(1800);

    /** The real time the clock under test reads; moves only when a test moves it. */
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Instant> crossed = Collections.synchronizedList(new ArrayList<>());
    private final List<SimulatedClock> clocks = new ArrayList<>();

    @AfterEach
    void closeClocks() {
        clocks.forEach(SimulatedClock::close);
    }

    private SimulatedClock clock(double rate, boolean paused) {
        SimulatedClock c = new SimulatedClock(START, rate, paused, nanos::get);
        clocks.add(c);
        return c;
    }

    private void advanceReal(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private static BoundarySchedule schedule(Instant... boundaries) {
        TreeSet<Instant> set = new TreeSet<>(List.of(boundaries));
        return set::higher;
    }

    private GatewayClock.Watch watch(SimulatedClock c, Instant... boundaries) {
        return c.watch(schedule(boundaries), (b, now) -> crossed.add(b));
    }

    @ParameterizedTest(name = "rate {0}: 2 real seconds are {1} simulated")
    @CsvSource({
        "1,     PT2S",
        "0.5,   PT1S",
        "60,    PT2M",
        "3600,  PT2H",
        "86400, PT48H",
    })
    void itRunsAtItsRate(double rate, Duration simulated) {
        SimulatedClock c = clock(rate, false);

        advanceReal(Duration.ofSeconds(2));

        assertThat(c.instant()).isEqualTo(START.plus(simulated));
        assertThat(c.rate()).isEqualTo(rate);
    }

    @ParameterizedTest(name = "rate {0}")
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void aRateThatIsNotPositiveAndFiniteIsRefused(double rate) {
        assertThatThrownBy(() -> new SimulatedClock(START, rate, false, nanos::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: a number greater than 0");
    }

    @Test
    void aClockThatRunsPastTheLastInstantItCanShowStandsThere() {
        SimulatedClock c = clock(1e308, false);

        advanceReal(Duration.ofSeconds(1));

        assertThat(c.instant()).isEqualTo(SimulatedClock.LATEST);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "+1000000000-12-31T23:59:59Z"})
    void settingTheClockOutsideItsRangeIsRefusedAndLeavesIt(String instant) {
        SimulatedClock c = clock(1, true);

        assertThatThrownBy(() -> c.set(Instant.parse(instant)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThat(c.instant()).isEqualTo(START);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PT999999999999H", "PT-999999999H", "PT9223372036854775807S"})
    void aJumpOutOfTheClocksRangeIsRefusedAndLeavesIt(Duration by) {
        SimulatedClock c = clock(1, true);

        assertThatThrownBy(() -> c.jump(by))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaves the clock's range");
        assertThat(c.instant()).isEqualTo(START);
    }

    @Test
    void aClockStartedPausedStandsStill() {
        SimulatedClock c = clock(60, true);

        advanceReal(Duration.ofSeconds(10));

        assertThat(c.isPaused()).isTrue();
        assertThat(c.instant()).isEqualTo(START);
    }

    @Test
    void pauseFreezesTheClockAndResumeContinuesWithoutAJump() {
        SimulatedClock c = clock(60, false);
        advanceReal(Duration.ofSeconds(1));

        c.pause();
        advanceReal(Duration.ofSeconds(10));
        Instant frozen = c.instant();
        c.resume();
        Instant resumed = c.instant();
        advanceReal(Duration.ofSeconds(1));

        assertThat(frozen).isEqualTo(START.plusSeconds(60));
        assertThat(resumed).isEqualTo(frozen);
        assertThat(c.instant()).isEqualTo(START.plusSeconds(120));
    }

    @Test
    void setMovesTheClockWhichRunsOnFromThere() {
        SimulatedClock c = clock(60, false);
        Instant target = Instant.parse("2015-12-01T00:00:00Z");

        c.set(target);
        Instant afterSet = c.instant();
        advanceReal(Duration.ofSeconds(1));

        assertThat(afterSet).isEqualTo(target);
        assertThat(c.instant()).isEqualTo(target.plusSeconds(60));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PT1H", "-PT1H", "P30D", "PT0.000000001S"})
    void jumpMovesTheClockBy(Duration by) {
        SimulatedClock c = clock(60, false);
        advanceReal(Duration.ofSeconds(1));

        c.jump(by);

        assertThat(c.instant()).isEqualTo(START.plusSeconds(60).plus(by));
    }

    @Test
    void setWhilePausedMovesTheClockAndKeepsItPaused() {
        SimulatedClock c = clock(60, true);

        c.set(B2);
        advanceReal(Duration.ofSeconds(5));

        assertThat(c.instant()).isEqualTo(B2);
        assertThat(c.isPaused()).isTrue();
    }

    @Test
    void setRateReAnchorsWithoutAJump() {
        SimulatedClock c = clock(1, false);
        advanceReal(Duration.ofSeconds(10));

        c.setRate(3600);
        Instant atChange = c.instant();
        advanceReal(Duration.ofSeconds(1));

        assertThat(atChange).isEqualTo(START.plusSeconds(10));
        assertThat(c.instant()).isEqualTo(START.plusSeconds(10 + 3600));
        assertThat(c.rate()).isEqualTo(3600);
    }

    @Test
    void aWatchFiresEveryBoundaryOnceInOrderWhenOneJumpCrossesSeveral() {
        SimulatedClock c = clock(1, false);
        List<Instant[]> calls = Collections.synchronizedList(new ArrayList<>());
        c.watch(schedule(B3, B1, B2, START.plusSeconds(7200)), (b, now) -> calls.add(new Instant[] {b, now}));

        c.set(B3.plusSeconds(1));

        assertThat(calls).extracting(call -> call[0]).containsExactly(B1, B2, B3);
        assertThat(calls).extracting(call -> call[1]).containsOnly(B3.plusSeconds(1));
    }

    @Test
    void aJumpThatLandsExactlyOnABoundaryFiresIt() {
        SimulatedClock c = clock(60, false);
        watch(c, B1);

        c.jump(Duration.ofSeconds(599));
        List<Instant> before = List.copyOf(crossed);
        c.jump(Duration.ofSeconds(1));

        assertThat(before).isEmpty();
        assertThat(crossed).containsExactly(B1);
    }

    @Test
    void settingTheClockBackwardsFiresNothing() {
        SimulatedClock c = clock(1, false);
        watch(c, B1, B2);
        c.set(B2.plusSeconds(1));
        crossed.clear();

        c.set(START);

        assertThat(crossed).isEmpty();
    }

    @Test
    void crossingABoundaryAgainAfterSettingTheClockBackFiresItAgain() {
        SimulatedClock c = clock(1, false);
        watch(c, B1, B2);

        c.set(B1.plusSeconds(1));
        c.set(START);
        c.set(B2.plusSeconds(1));

        assertThat(crossed).containsExactly(B1, B1, B2);
    }

    @Test
    void boundariesAtOrBeforeTheWatchesStartAreNotFired() {
        SimulatedClock c = clock(1, false);
        c.set(B2);
        watch(c, B1, B2, B3);

        c.set(B3.plusSeconds(1));

        assertThat(crossed).containsExactly(B3);
    }

    @Test
    void aClosedWatchFiresNothing() {
        SimulatedClock c = clock(1, false);
        GatewayClock.Watch w = watch(c, B1, B2);

        w.close();
        c.set(B2.plusSeconds(1));

        assertThat(crossed).isEmpty();
    }

    @Test
    void closingOneWatchLeavesTheOthersWatching() {
        SimulatedClock c = clock(1, false);
        List<Instant> other = Collections.synchronizedList(new ArrayList<>());
        GatewayClock.Watch w = watch(c, B1);
        c.watch(schedule(B1), (b, now) -> other.add(b));

        w.close();
        c.set(B1);

        assertThat(crossed).isEmpty();
        assertThat(other).containsExactly(B1);
    }

    @Test
    void aListenerThatThrowsDoesNotStopLaterBoundaries() {
        SimulatedClock c = clock(1, false);
        c.watch(schedule(B1, B2), (b, now) -> {
            crossed.add(b);
            if (b.equals(B1)) {
                throw new IllegalStateException("listener failed");
            }
        });

        c.set(B3);

        assertThat(crossed).containsExactly(B1, B2);
    }

    @Test
    void jumpToNextLandsExactlyOnTheNextBoundaryAndFiresIt() {
        SimulatedClock c = clock(60, false);
        BoundarySchedule s = schedule(B1, B2);
        c.watch(s, (b, now) -> crossed.add(b));

        Instant first = c.jumpToNext(s);
        Instant atFirst = c.instant();
        List<Instant> afterFirst = List.copyOf(crossed);
        Instant second = c.jumpToNext(s);

        assertThat(first).isEqualTo(B1);
        assertThat(atFirst).isEqualTo(B1);
        assertThat(afterFirst).containsExactly(B1);
        assertThat(second).isEqualTo(B2);
        assertThat(c.instant()).isEqualTo(B2);
        assertThat(crossed).containsExactly(B1, B2);
    }

    @Test
    void jumpToNextWithNoBoundaryLeftLeavesTheClockWhereItIs() {
        SimulatedClock c = clock(60, false);
        c.set(B3);

        assertThat(c.jumpToNext(schedule(B1, B2))).isNull();
        assertThat(c.instant()).isEqualTo(B3);
    }

    @Test
    void theTimerReportsACrossingAtTheExactBoundaryOnTheRealNanoClock() throws InterruptedException {
        SimulatedClock c = new SimulatedClock(START, 3600, false);
        try {
            Instant boundary = START.plus(Duration.ofMinutes(2));
            AtomicReference<Instant> seenBoundary = new AtomicReference<>();
            AtomicReference<Instant> seenNow = new AtomicReference<>();
            CountDownLatch latch = new CountDownLatch(1);
            c.watch(schedule(boundary), (b, now) -> {
                seenBoundary.set(b);
                seenNow.set(now);
                latch.countDown();
            });

            assertThat(latch.await(5, TimeUnit.SECONDS)).as("crossing reported within 5 s").isTrue();
            assertThat(seenBoundary.get()).isEqualTo(boundary);
            assertThat(seenNow.get()).isAfterOrEqualTo(boundary);
        } finally {
            c.close();
        }
    }

    @Test
    void aHoldStopsTheClockAtItsInstantUntilReleased() {
        SimulatedClock c = clock(60, false);
        c.holdAt(B1);
        advanceReal(Duration.ofSeconds(30));     // 1800 simulated seconds: past B1

        assertThat(c.instant()).isEqualTo(B1);
        assertThat(c.isHeld()).isTrue();
    }

    @Test
    void aReleasedClockRunsOnFromTheHeldInstantWithoutSkippingTheTimeItStood() {
        SimulatedClock c = clock(60, false);
        Instant held = c.holdAt(B1);
        advanceReal(Duration.ofSeconds(30));
        c.release(held);
        advanceReal(Duration.ofSeconds(1));

        assertThat(c.isHeld()).isFalse();
        assertThat(c.instant()).isEqualTo(B1.plusSeconds(60));
    }

    @Test
    void aWatchDoesNotReportABoundaryBeyondAHoldUntilItIsReleased() {
        SimulatedClock c = clock(60, false);
        watch(c, B2);
        Instant held = c.holdAt(B1);
        advanceReal(Duration.ofSeconds(30));
        c.jump(Duration.ZERO);                   // any move re-checks the watches

        assertThat(crossed).isEmpty();
        c.release(held);
        advanceReal(Duration.ofSeconds(20));      // B1 + 1200 s: past B2
        c.jump(Duration.ZERO);
        assertThat(crossed).containsExactly(B2);
    }

    @Test
    void aHoldInThePastHoldsTheClockWhereItIs() {
        SimulatedClock c = clock(60, false);
        advanceReal(Duration.ofSeconds(20));      // START + 1200 s

        Instant held = c.holdAt(B1);
        advanceReal(Duration.ofSeconds(5));

        assertThat(held).isEqualTo(B2);
        assertThat(c.instant()).isEqualTo(B2);
    }

    @Test
    void pauseAndResumeDoNotReleaseAHold() {
        SimulatedClock c = clock(60, false);
        c.holdAt(B1);
        c.pause();
        c.resume();
        advanceReal(Duration.ofSeconds(30));

        assertThat(c.instant()).isEqualTo(B1);
    }
}
