package org.opgate.report.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a run's report folder: intervals.csv, intervals.json, chart.svg and report.html, and
 * renders the per-week table printed at the end of a demo.
 */
public final class RunReport {

    /** The files {@link #write} makes, in the order it returns them. */
    public static final List<String> FILES = List.of("intervals.csv", "intervals.json", "chart.svg", "report.html");

    private RunReport() {
    }

    /** Writes the four report files into {@code dir} (created if missing); returns their paths. */
    public static List<Path> write(RunRecord run, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> contents = List.of(IntervalsCsv.render(run), IntervalsJson.render(run), RunChart.render(run),
                ReportPage.render(run));
        Path[] written = new Path[FILES.size()];
        for (int i = 0; i < FILES.size(); i++) {
            written[i] = Files.writeString(dir.resolve(FILES.get(i)), contents.get(i), StandardCharsets.UTF_8);
        }
        return List.of(written);
    }

    /** The per-week table by class and outcome, for the terminal. */
    public static String weeklyTable(RunRecord run) {
        return WeeklyTable.render(run);
    }
}
