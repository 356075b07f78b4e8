package org.opgate.report.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RunReportTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheFourFilesIntoANewFolder() throws Exception {
        Path dir = tmp.resolve("out").resolve("pakistan-2015");

        List<Path> written = RunReport.write(RunRecords.pakistanAsOrdered(), dir);

        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("intervals.csv", "intervals.json", "chart.svg", "report.html");
        assertThat(written).allSatisfy(p -> assertThat(p).isRegularFile().hasParent(dir));
        assertThat(Files.readString(dir.resolve("report.html"))).contains(Files.readString(dir.resolve("chart.svg"))
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", ""));
    }

    @Test
    void rewritesAnExistingReport() throws Exception {
        RunReport.write(RunRecords.pakistanAsOrdered(), tmp);

        RunReport.write(RunRecords.singleInterval(), tmp);

        assertThat(Files.readAllLines(tmp.resolve("intervals.csv"))).hasSize(2);
    }

    @Test
    void writesAReportForAnEmptyRun() throws Exception {
        List<Path> written = RunReport.write(RunRecords.empty(), tmp);

        assertThat(written).hasSize(4).allSatisfy(p -> assertThat(Files.size(p)).isPositive());
        RunChartTest.parse(Files.readString(tmp.resolve("chart.svg")));
    }
}
