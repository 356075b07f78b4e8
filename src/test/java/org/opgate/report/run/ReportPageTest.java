package org.opgate.report.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

final class ReportPageTest {

    private static String between(String html, String from, String to) {
        int a = html.indexOf(from);
        assertThat(a).as("%s in the page", from).isNotNegative();
        return html.substring(a, html.indexOf(to, a));
    }

    @Test
    void inlinesTheChartAndFetchesNothing() {
        String html = ReportPage.render(RunRecords.pakistanAsOrdered());

        assertThat(html).contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", "<style>")
                .doesNotContain("<script", "<link", "<img", "@import", "url(", "src=");
    }

    @Test
    void hasOneWeeklyRowPerWeekWithTheWeeksCounts() {
        RunRecord run = RunRecords.pakistanAsOrdered();
        String weekly = between(ReportPage.render(run), "<table class=\"weekly\"", "</table>");

        assertThat(weekly.split("<tr><td>", -1).length - 1).as("week rows").isEqualTo(Weeks.of(run).size());
        // Week of the deadline: BES 273 completed, then refused and the 36 cut tunnels, tinted.
        assertThat(weekly).contains("<td>2015-11-30</td>", "<td class=\"n cut\">36</td>", "<td class=\"n refused\">1,553</td>");
        assertThat(weekly).contains("<th class=\"group\" colspan=\"4\">BES</th>");
    }

    @Test
    void listsTheTimelineWithDatesInTheZoneAndSourcesAsLinks() {
        String timeline = between(ReportPage.render(RunRecords.pakistanAsOrdered()), "<table class=\"timeline\"", "</table>");

        assertThat(timeline).contains("Tue 1 Dec 2015 00:00 PKT", "<strong>deadline</strong>", "Fri 24 Jul 2015 00:00 PKT",
                "<a href=\"https://dawn.com/news/1196212\" title=\"https://dawn.com/news/1196212\">dawn.com</a>");
    }

    @Test
    void listsRefusalReasonsSettingsAndSources() {
        String html = ReportPage.render(RunRecords.pakistanAsOrdered());

        assertThat(between(html, "<table class=\"refusals\"", "</table>"))
                .contains("BES access closed from 1 Dec 2015 00:00 PKT", "9,935");
        assertThat(between(html, "<table class=\"settings\"", "</table>"))
                .contains("<th>seed</th><td>42</td>", "<th>start</th><td>2015-07-24T00:00:00+05:00</td>");
        assertThat(between(html, "<ul class=\"sources\"", "</ul>"))
                .contains(">" + RunRecords.FORTUNE + "</a>", ">" + RunRecords.VERGE + "</a>");
    }

    @Test
    void escapesHostileTextEverywhere() {
        String html = ReportPage.render(RunRecords.hostile());

        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(html).contains("a &amp; b &lt; c");
    }

    @Test
    void linksOnlyToWebSources() {
        String html = ReportPage.render(RunRecords.hostile());
        Matcher hrefs = Pattern.compile("href=\"([^\"]*)\"").matcher(html);

        while (hrefs.find()) {
            assertThat(hrefs.group(1)).matches("https?://.*|intervals\\.csv|intervals\\.json|chart\\.svg");
        }
        assertThat(html).contains("javascript:alert(1)");
    }

    @Test
    void anEmptyRunSaysSoInEachSection() {
        String html = ReportPage.render(RunRecords.empty());

        assertThat(html).contains("No sessions were recorded.", "The scenario has no events.", "No session was refused.",
                "The scenario lists no sources.", "no sessions recorded");
    }
}
