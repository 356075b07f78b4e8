package org.opgate.report.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opgate.testing.Tools;

/**
 * Opens the Pakistan 2015 report in Debian's headless chromium and keeps screenshots under
 * target/screenshots/ (a build artifact; look at them). The assertions catch a page or chart the
 * browser cannot render: a blank or one-colour image, or a DOM without the inline chart.
 */
final class RunReportBrowserTest {

    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path profile;

    private Tools.Result chromium(String... args) {
        String[] command = new String[args.length + 6];
        command[0] = Tools.require("chromium").toString();
        command[1] = "--headless";
        command[2] = "--no-sandbox";
        command[3] = "--disable-gpu";
        command[4] = "--hide-scrollbars";
        // A profile of its own: other test runs on this machine may have a chromium open.
        command[5] = "--user-data-dir=" + profile.toAbsolutePath();
        System.arraycopy(args, 0, command, 6, args.length);
        return Tools.run(Duration.ofSeconds(120), command);
    }

    private Path writeReport(RunRecord run) throws IOException {
        Path dir = SHOTS.resolve(run.scenarioId());
        RunReport.write(run, dir);
        return dir.toAbsolutePath();
    }

    private BufferedImage screenshot(Path file, String name, int width, int height) throws IOException {
        Path png = SHOTS.resolve(name).toAbsolutePath();
        Files.deleteIfExists(png);
        Tools.Result r = chromium("--screenshot=" + png, "--window-size=" + width + "," + height, file.toUri().toString());
        assertThat(png).as("chromium wrote no screenshot: %s", r.stderr()).exists();
        return ImageIO.read(png.toFile());
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    /** The chart alone, in a window its own size. */
    private BufferedImage chartScreenshot(RunRecord run) throws IOException {
        Path dir = writeReport(run);
        Matcher height = Pattern.compile("height=\"(\\d+)\"").matcher(Files.readString(dir.resolve("chart.svg")));
        assertThat(height.find()).isTrue();
        return screenshot(dir.resolve("chart.svg"), run.scenarioId() + "-chart.png", RunChart.WIDTH,
                Integer.parseInt(height.group(1)));
    }

    @Test
    void chromiumRendersTheChart() throws IOException {
        BufferedImage img = chartScreenshot(RunRecords.pakistanAsOrdered());

        assertThat(img.getWidth()).isEqualTo(RunChart.WIDTH);
        // Lines in four colours with anti-aliasing, text and grid: far more than a blank or error page.
        assertThat(colours(img)).isGreaterThan(50);
    }

    @Test
    void chromiumRendersTheChartOfARunWithoutABan() throws IOException {
        assertThat(colours(chartScreenshot(RunRecords.pakistanAsItHappened()))).isGreaterThan(50);
    }

    @Test
    void chromiumRendersTheChartOfASingleInterval() throws IOException {
        assertThat(colours(chartScreenshot(RunRecords.singleInterval()))).isGreaterThan(20);
    }

    @Test
    void chromiumRendersTheWholePage() throws IOException {
        Path dir = writeReport(RunRecords.pakistanAsOrdered());

        BufferedImage img = screenshot(dir.resolve("report.html"), "pakistan-2015-report.png", 1280, 3400);

        assertThat(colours(img)).isGreaterThan(50);
    }

    @Test
    void chromiumKeepsTheInlineChartAndTablesInThePage() throws IOException {
        Path dir = writeReport(RunRecords.pakistanAsOrdered());

        String dom = chromium("--dump-dom", dir.resolve("report.html").toUri().toString()).stdout();

        assertThat(dom).contains("<svg", "class=\"panel\" data-class=\"BES\"", "<table class=\"weekly\"",
                "<table class=\"timeline\"");
    }

    @Test
    void chromiumShowsHostileTextAsText() throws IOException {
        Path dir = writeReport(RunRecords.hostile());

        String dom = chromium("--dump-dom", dir.resolve("report.html").toUri().toString()).stdout();
        screenshot(dir.resolve("report.html"), "hostile-report.png", 1100, 1400);

        assertThat(dom).doesNotContain("<script").contains("&lt;script&gt;alert('x')&lt;/script&gt;");
    }
}
