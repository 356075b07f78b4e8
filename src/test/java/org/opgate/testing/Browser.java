package org.opgate.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver (both found on the PATH by
 * {@link Tools#require}, so a missing browser skips or fails the test as the tools rule says).
 * Every network feature that could reach beyond loopback is switched off; the browser log is
 * kept so a test can assert the page wrote no errors to the console.
 *
 * <pre>
 * try (Browser b = Browser.start()) {
 *     b.open(gw.adminUri("/"));
 *     b.await(d -> !b.text("clock").isEmpty(), "the clock to show");
 *     assertThat(b.consoleErrors()).isEmpty();
 *     b.screenshot(Path.of("target/screenshots/dashboard.png"));
 * }
 * </pre>
 */
public final class Browser implements AutoCloseable {

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts a headless chromium with a 1600×1000 window. */
    public static Browser start() {
        Path chromium = Tools.require("chromium");
        Path chromedriver = Tools.require("chromedriver");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless=new", "--window-size=1600,1000", "--hide-scrollbars", "--force-device-scale-factor=1",
                // root in CI containers; chromium refuses to start sandboxed as root
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                // nothing beyond loopback: no proxy, no background fetches, no component updates
                "--no-proxy-server", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--metrics-recording-only",
                "--lang=en-GB");
        o.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                // Never the test JVM's stdout: surefire talks to Maven over it.
                .withLogFile(Path.of("target", "chromedriver.log").toFile())
                .build();
        return new Browser(new ChromeDriver(service, o));
    }

    public void open(URI uri) {
        driver.get(uri.toString());
    }

    /** The page's current address. */
    public String url() {
        return driver.getCurrentUrl();
    }

    public WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The visible text of the element with {@code id}. */
    public String text(String id) {
        return byId(id).getText();
    }

    /** Runs a script in the page and returns what it returns. */
    public Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Waits up to {@link Await#DEFAULT} for {@code condition} to be true; fails naming {@code what}. */
    public void await(ExpectedCondition<Boolean> condition, String what) {
        try {
            new WebDriverWait(driver, Await.DEFAULT, Duration.ofMillis(50)).until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + Await.DEFAULT.toMillis() + " ms for " + what + ", in vain", e);
        }
    }

    /** Console entries at level SEVERE (errors) since the last call; reading drains the log. */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Saves a PNG of the window to {@code file} (directories created). */
    public void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Sizes the window (the screenshot's size). */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
