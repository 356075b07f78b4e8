package org.opgate.report.run;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opgate.scenario.ScenarioEvent;

/**
 * Synthetic but realistic run records for the report tests: Pakistan 2015 with six-hour intervals
 * over three operators, counts that vary by time of day, BES completing until the deadline and
 * refused after it (with the open tunnels cut at the deadline), BBM and BIS steady, and a share of
 * BES users showing up as OTHER after the ban. Dates and sources from
 * ../shared/reference/timelines.md.
 */
final class RunRecords {

    static final ZoneId KARACHI = ZoneId.of("Asia/Karachi");
    static final Instant START = at("2015-07-24T00:00+05:00");
    static final Instant END = at("2016-01-11T00:00+05:00");
    static final Instant DEADLINE = at("2015-12-01T00:00+05:00");
    static final Duration SIX_HOURS = Duration.ofHours(6);
    static final List<String> OPERATORS = List.of("mobilink", "telenor", "ufone");
    static final String REASON = "BES access closed from 1 Dec 2015 00:00 PKT by order of the Pakistan "
            + "Telecommunication Authority (notice of 24 Jul 2015)";
    static final String DAWN = "https://dawn.com/news/1196212";
    static final String TRIBUNE = "https://totaltele.com/pakistan-bans-blackberry-enterprise-service";
    static final String VERGE = "https://www.theverge.com/2015/11/30/9818502/blackberry-pakistan-ends-service-government";
    static final String FORTUNE = "https://fortune.com/2015/12/31/blackberry-operations-pakistan/";

    private RunRecords() {
    }

    static Instant at(String iso) {
        return OffsetDateTime.parse(iso).toInstant();
    }

    static List<ScenarioEvent> asOrderedEvents() {
        return List.of(
                new ScenarioEvent(at("2015-07-24T00:00+05:00"), "notice",
                        "PTA asks Mobilink, Ufone and Telenor to give BES customers 90 days notice of closing by 30 Nov 2015",
                        List.of(DAWN)),
                new ScenarioEvent(at("2015-09-01T00:00+05:00"), "last day for notice",
                        "Last day operators could send the 90-day notice for a 30 Nov cut-off (computed)", List.of()),
                new ScenarioEvent(DEADLINE, "deadline",
                        "BES blocked from 1 Dec 2015 00:00 PKT; open BES connections are cut", List.of(DAWN, TRIBUNE)));
    }

    /** Pakistan 2015 as ordered: BES blocked and cut from 1 Dec 2015 00:00 PKT. */
    static RunRecord pakistanAsOrdered() {
        return pakistan("pakistan-2015", "Pakistan 2015: BES closed as ordered", asOrderedEvents(), DEADLINE);
    }

    /** Pakistan 2015 as it happened: extended on 30 Nov, rescinded on 31 Dec; BES never blocked. */
    static RunRecord pakistanAsItHappened() {
        List<ScenarioEvent> events = List.of(asOrderedEvents().get(0),
                new ScenarioEvent(at("2015-11-30T09:00+05:00"), "extension to 30 Dec",
                        "BlackBerry announces its exit; the government extends the shutdown order to 30 Dec", List.of(VERGE)),
                new ScenarioEvent(at("2015-12-31T00:00+05:00"), "rescission",
                        "The government rescinds the shutdown order; BlackBerry stays", List.of(FORTUNE)));
        return pakistan("pakistan-2015-as-it-happened", "Pakistan 2015 as it happened", events, null);
    }

    private static RunRecord pakistan(String id, String title, List<ScenarioEvent> events, Instant banFrom) {
        List<IntervalRow> rows = new ArrayList<>();
        long refused = 0;
        int n = 0;
        for (Instant t = START; t.isBefore(END); t = t.plus(SIX_HOURS), n++) {
            Instant end = t.plus(SIX_HOURS);
            int hour = t.atZone(KARACHI).getHour();
            // Busier in the working day (06–18) than at night; a slow weekly swell keeps lines from looking flat.
            double load = (hour == 6 || hour == 12 ? 1.0 : 0.45) * (1 + 0.15 * Math.sin(n / 9.0));
            boolean banned = banFrom != null && !t.isBefore(banFrom);
            for (String op : OPERATORS) {
                int opShare = op.equals("mobilink") ? 3 : op.equals("telenor") ? 2 : 1;
                long bbm = Math.round(90 * opShare * load);
                long bis = Math.round(55 * opShare * load);
                long bes = Math.round(14 * opShare * load);
                rows.add(new IntervalRow(t, end, "BBM", op, bbm, 0, 0, n % 29 == 3 ? 2 : 0));
                rows.add(new IntervalRow(t, end, "BES", op, banned ? 0 : bes, banned ? bes : 0,
                        t.equals(banFrom) ? 6L * opShare : 0, 0));
                rows.add(new IntervalRow(t, end, "BIS", op, bis, 0, 0, 0));
                // After the ban some BES users move to a VPN-like endpoint the classifier calls OTHER.
                rows.add(new IntervalRow(t, end, "OTHER", op, banned ? Math.round(4 * opShare * load) : 0, 0, 0, 0));
                refused += banned ? bes : 0;
            }
        }
        // The record's order: by start, then class, then operator.
        rows.sort(Comparator.comparing(IntervalRow::start).thenComparing(IntervalRow::trafficClass)
                .thenComparing(IntervalRow::operator));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("seed", "42");
        settings.put("rate", "86400");
        settings.put("subscribers", "BES=5000, BBM=32000, BIS=20000");
        settings.put("config version", "3f2a9c1");
        return new RunRecord(id, title,
                "The PTA ordered BlackBerry Enterprise Service closed from 1 December 2015; BBM and BIS stay on.",
                KARACHI, START, END, SIX_HOURS, events, rows, refused == 0 ? Map.of() : Map.of("BES", Map.of(REASON, refused)),
                List.of(DAWN, TRIBUNE, VERGE, FORTUNE), settings);
    }

    /** One interval of one class and operator. */
    static RunRecord singleInterval() {
        IntervalRow row = new IntervalRow(DEADLINE, DEADLINE.plus(SIX_HOURS), "BES", "telenor", 0, 17, 3, 1);
        return new RunRecord("single", "One interval", "", KARACHI, DEADLINE, DEADLINE.plus(SIX_HOURS), SIX_HOURS,
                List.of(asOrderedEvents().get(2)), List.of(row), Map.of("BES", Map.of(REASON, 17L)), List.of(DAWN),
                Map.of("seed", "1"));
    }

    /** A run stopped before any session: no rows, no events, no sources. */
    static RunRecord empty() {
        return new RunRecord("empty", "Nothing happened", "", KARACHI, START, START, SIX_HOURS, List.of(), List.of(),
                Map.of(), List.of(), Map.of());
    }

    /** A scenario file written by someone hostile: markup and a javascript: link in every text field. */
    static RunRecord hostile() {
        String evil = "<script>alert('x')</script>";
        IntervalRow row = new IntervalRow(DEADLINE, DEADLINE.plus(SIX_HOURS), evil, "op,\"quoted\"", 5, 1, 0, 0);
        ScenarioEvent event = new ScenarioEvent(DEADLINE, "deadline " + evil, "a & b < c " + evil,
                List.of("javascript:alert(1)", DAWN + "?a=1&b=<2>"));
        return new RunRecord("hostile", "Title " + evil, "Description " + evil, KARACHI, DEADLINE,
                DEADLINE.plus(SIX_HOURS), SIX_HOURS, List.of(event), List.of(row), Map.of(evil, Map.of("reason " + evil, 1L)),
                List.of("javascript:alert(2)"), Map.of("key " + evil, "value " + evil));
    }

    /** Sum of each outcome over the record's rows. */
    static Outcomes sum(RunRecord run) {
        return run.rows().stream().map(Outcomes::of).reduce(Outcomes.NONE, Outcomes::plus);
    }
}
