package dev.pooltasks.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A headless Debian Chromium driven through Debian's chromedriver ({@code apt-get install chromium chromium-driver};
 * .ci/run installs them). Both paths are given, so Selenium never looks for or downloads a browser or driver of its
 * own. Each instance has a fresh profile directory, removed on {@link #close()}. A test class shares one as
 * {@code @RegisterExtension static final Chromium chromium = Chromium.start();}, closed after its last test.
 */
final class Chromium implements AutoCloseable, AfterAllCallback {
    static final Path BROWSER = Path.of(System.getProperty("pooltasks.e2e.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("pooltasks.e2e.chromedriver", "/usr/bin/chromedriver"));

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private Chromium(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    static Chromium start() {
        for (Path executable : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException(executable + " is missing: install Debian's Chromium and its driver "
                        + "with `apt-get install -y chromium chromium-driver` (.ci/run does this when they are missing)");
            }
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("pooltasks-e2e-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile()).addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600", "--user-data-dir=" + profile);
        // the page's console messages and failed loads, for tests that check a page logs no error
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        try {
            return new Chromium(profile, service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a leftover temporary profile harms nothing
        }
    }
}
