package org.opgate.report.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

final class RunChartTest {

    private static final String SVG = "http://www.w3.org/2000/svg";

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static List<Element> groups(Document doc, String cssClass) {
        List<Element> out = new ArrayList<>();
        NodeList gs = doc.getElementsByTagNameNS(SVG, "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").equals(cssClass)) {
                out.add(g);
            }
        }
        return out;
    }

    @Test
    void hasOnePanelPerClassInClassOrder() throws Exception {
        Document doc = parse(RunChart.render(RunRecords.pakistanAsOrdered()));

        assertThat(groups(doc, "panel")).extracting(g -> g.getAttribute("data-class"))
                .containsExactly("BBM", "BES", "BIS", "OTHER");
    }

    @Test
    void marksEachEventOnceWithItsLabel() throws Exception {
        Document doc = parse(RunChart.render(RunRecords.pakistanAsOrdered()));
        List<Element> events = groups(doc, "event");

        assertThat(events).extracting(g -> g.getAttribute("data-event"))
                .containsExactly("notice", "last day for notice", "deadline");
        assertThat(events).allSatisfy(g -> assertThat(g.getElementsByTagNameNS(SVG, "path").getLength()).isEqualTo(1));
        assertThat(events.get(2).getTextContent()).contains("deadline (1 Dec)");
    }

    @Test
    void isAnAccessibleImageWithTitleAndDescription() throws Exception {
        Element svg = parse(RunChart.render(RunRecords.pakistanAsOrdered())).getDocumentElement();

        assertThat(svg.getAttribute("role")).isEqualTo("img");
        assertThat(svg.getAttribute("aria-labelledby")).isEqualTo("chart-title chart-desc");
        Element title = (Element) svg.getElementsByTagNameNS(SVG, "title").item(0);
        Element desc = (Element) svg.getElementsByTagNameNS(SVG, "desc").item(0);
        assertThat(title.getTextContent()).isEqualTo("Pakistan 2015: BES closed as ordered");
        assertThat(desc.getTextContent()).contains("Sessions per day", "BES:", "refused", "Event deadline on Tue 1 Dec 2015 00:00 PKT");
    }

    @Test
    void cutsTheScaleOfAPanelWhoseBurstDwarfsItsTrafficAndLabelsTheBurst() throws Exception {
        RunRecord ordered = RunRecords.pakistanAsOrdered();
        List<IntervalRow> rows = new ArrayList<>(ordered.rows());
        // A deadline as the demo has it: thousands refused and cut in one interval, against tens a day before.
        rows.add(new IntervalRow(RunRecords.DEADLINE, RunRecords.DEADLINE.plus(RunRecords.SIX_HOURS), "BES", "zong",
                0, 4_000, 3_700, 0));
        RunRecord burst = new RunRecord(ordered.scenarioId(), ordered.title(), ordered.description(), ordered.zone(),
                ordered.start(), ordered.end(), ordered.interval(), ordered.events(), rows, ordered.refusedBy(),
                ordered.sources(), ordered.settings());
        Document doc = parse(RunChart.render(burst));
        Element bes = groups(doc, "panel").stream().filter(g -> g.getAttribute("data-class").equals("BES")).findFirst().orElseThrow();
        Element bbm = groups(doc, "panel").stream().filter(g -> g.getAttribute("data-class").equals("BBM")).findFirst().orElseThrow();

        assertThat(bes.getTextContent()).contains("scale cut at");
        assertThat(classed(bes, "path", "clipped")).hasSize(1);
        // The deadline's day: the burst plus the synthetic run's own refusals and cuts that day.
        assertThat(classed(bes, "text", "clipped-count")).extracting(Element::getTextContent)
                .containsExactly("3,736 cut", "4,278 refused");
        assertThat(classed(bbm, "path", "clipped")).as("a panel without a burst keeps its full scale").isEmpty();
        assertThat(bbm.getTextContent()).doesNotContain("scale cut at");
    }

    private static List<Element> classed(Element panel, String tag, String cssClass) {
        List<Element> out = new ArrayList<>();
        NodeList all = panel.getElementsByTagNameNS(SVG, tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("class").equals(cssClass)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void hasMonthTicksInTheRunZone() throws Exception {
        String svg = RunChart.render(RunRecords.pakistanAsOrdered());

        assertThat(svg).contains(">Aug 2015<", ">Sep<", ">Oct<", ">Nov<", ">Dec<", ">Jan 2016<")
                .doesNotContain(">Jul 2015<");
    }

    @Test
    void drawsEachOutcomeOfEachPanelAsASeries() throws Exception {
        Document doc = parse(RunChart.render(RunRecords.pakistanAsOrdered()));

        // The synthetic run has errors (BBM), so all four outcomes are drawn in all four panels.
        for (Element panel : groups(doc, "panel")) {
            NodeList paths = panel.getElementsByTagNameNS(SVG, "path");
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < paths.getLength(); i++) {
                String o = ((Element) paths.item(i)).getAttribute("data-outcome");
                if (!o.isEmpty()) {
                    outcomes.add(o);
                }
            }
            assertThat(outcomes).containsExactlyInAnyOrder("completed", "refused", "cut", "errors");
        }
    }

    @Test
    void binsSixHourRowsIntoDaysOverAHalfYearRun() {
        Bins bins = Bins.of(RunRecords.pakistanAsOrdered());

        assertThat(bins.width()).isEqualTo(java.time.Duration.ofDays(1));
        assertThat(bins.origin()).isEqualTo(RunRecords.START);
        long refusedBes = 0;
        for (Outcomes o : bins.byClass().get("BES")) {
            refusedBes += o.refused();
        }
        assertThat(refusedBes).isEqualTo(RunRecords.pakistanAsOrdered().refusedBy().get("BES").get(RunRecords.REASON));
    }

    @Test
    void stacksEventLabelsThatWouldOverlap() throws Exception {
        RunRecord base = RunRecords.pakistanAsOrdered();
        List<org.opgate.scenario.ScenarioEvent> events = new ArrayList<>(base.events());
        events.add(new org.opgate.scenario.ScenarioEvent(RunRecords.at("2015-11-30T09:00+05:00"), "extension to 30 Dec",
                "The government extends the order", List.of(RunRecords.VERGE)));
        events.sort(java.util.Comparator.comparing(org.opgate.scenario.ScenarioEvent::at));
        RunRecord run = new RunRecord(base.scenarioId(), base.title(), base.description(), base.zone(), base.start(),
                base.end(), base.interval(), events, base.rows(), base.refusedBy(), base.sources(), base.settings());
        List<Element> marks = groups(parse(RunChart.render(run)), "event");

        String extensionY = ((Element) marks.get(2).getElementsByTagNameNS(SVG, "text").item(0)).getAttribute("y");
        String deadlineY = ((Element) marks.get(3).getElementsByTagNameNS(SVG, "text").item(0)).getAttribute("y");
        assertThat(extensionY).isNotEqualTo(deadlineY);
    }

    @Test
    void anEmptyRunIsStillAValidChartSayingSo() throws Exception {
        Document doc = parse(RunChart.render(RunRecords.empty()));

        assertThat(groups(doc, "panel")).isEmpty();
        assertThat(doc.getDocumentElement().getTextContent()).contains("no sessions recorded");
    }

    @Test
    void aSingleIntervalRunHasOnePanelAndItsEvent() throws Exception {
        Document doc = parse(RunChart.render(RunRecords.singleInterval()));

        assertThat(groups(doc, "panel")).hasSize(1);
        assertThat(groups(doc, "event")).hasSize(1);
        assertThat(RunChart.render(RunRecords.singleInterval())).doesNotContain("NaN", "Infinity");
    }

    @Test
    void escapesMarkupInClassAndEventNames() throws Exception {
        Document doc = parse(RunChart.render(RunRecords.hostile()));

        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        assertThat(doc.getElementsByTagNameNS("*", "script").getLength()).isZero();
        assertThat(groups(doc, "panel").get(0).getAttribute("data-class")).isEqualTo("<script>alert('x')</script>");
    }

    @Test
    void writesNoLongBinaryFractions() {
        // Long binary fractions (2.8000000000000003) bloat the file and are no more exact on screen.
        assertThat(RunChart.render(RunRecords.pakistanAsOrdered())).doesNotContainPattern("\\d\\.\\d{4,}");
    }

    @Test
    void countAxisUsesRoundTicks() {
        assertThat(CountAxis.ticks(270)).containsExactly(0, 100, 200, 300);
        assertThat(CountAxis.ticks(0)).containsExactly(0, 1);
        assertThat(CountAxis.compact(1500)).isEqualTo("1.5k");
        assertThat(CountAxis.compact(2_000_000)).isEqualTo("2M");
    }
}
