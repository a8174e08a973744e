package dev.strata.node.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium WebDriver for the UI tests: Debian's {@code chromium} and
 * {@code chromium-driver} (.ci/run installs them), named explicitly so Selenium Manager never downloads
 * a browser or driver. Screenshots go to {@code node/target/ui-screenshots/}.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMEDRIVER = Path.of(System.getProperty("strata.chromedriver", "/usr/bin/chromedriver"));
    static final Path CHROMIUM = Path.of(System.getProperty("strata.chromium", "/usr/bin/chromium"));
    public static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

    public final ChromeDriver driver;

    public Browser() {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("the UI tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian packages chromium and chromium-driver; .ci/run installs them)");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--lang=en-US", "--no-first-run", "--disable-extensions");
        driver = new ChromeDriver(service, options);
    }

    /** Waits (generously: the build machine is shared) until {@code condition} answers non-null/true. */
    public <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100))
                    // Pages that refresh themselves replace their elements under the test's feet.
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            Path shot = screenshot("timeout-" + System.currentTimeMillis());
            String text = driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
            throw new AssertionError("timed out at " + driver.getCurrentUrl() + " (screenshot " + shot + "); the page says:\n"
                    + text, e);
        }
    }

    /** Saves the page as target/ui-screenshots/{@code name}.png and answers the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path to = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
