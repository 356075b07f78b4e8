package org.opgate.report.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a run's report folder: intervals.csv, intervals.json, chart.svg and report.html, and
 * renders the per-week table printed at the end of a demo.
 */
public final class RunReport {

    private RunReport() {
    }

    /** Writes the four report files into {@code dir} (created if missing); returns their paths. */
    public static List<Path> write(RunRecord run, Path dir) throws IOException {
        throw new UnsupportedOperationException("not written yet");
    }

    /** The per-week table by class and outcome, for the terminal. */
    public static String weeklyTable(RunRecord run) {
        throw new UnsupportedOperationException("not written yet");
    }
}
