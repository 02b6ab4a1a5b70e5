package dev.ivr.server.desk;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Headless Debian Chromium driven through Debian's chromedriver (packages {@code chromium} and
 * {@code chromium-driver}, installed by {@code .ci/setup}); nothing is downloaded. Without them
 * a test is skipped with a message, except under CI ({@code CI=true}), where it fails.
 */
public final class Chromium {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Chromium() {
    }

    /** A fresh headless browser (its own profile directory under {@code profile}). */
    public static WebDriver start(Path profile) {
        Optional<Path> browser = find("chromium", "chromium-browser");
        Optional<Path> driver = find("chromedriver");
        if (browser.isEmpty() || driver.isEmpty()) {
            String why = "headless Chromium is not installed (need Debian's chromium and chromium-driver:"
                    + " apt-get install chromium chromium-driver, or run .ci/setup)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why + ": skipping the web page test");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.get().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1100", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Saves a PNG of what the window shows to target/screenshots/NAME.png. */
    public static Path screenshot(WebDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The screenshot and HTML of every open window, to see what a failing test saw (best effort). */
    public static void evidence(WebDriver driver, String name) {
        try {
            int i = 0;
            for (String handle : driver.getWindowHandles()) {
                driver.switchTo().window(handle);
                screenshot(driver, name + "-" + i);
                Files.writeString(SCREENSHOTS.resolve(name + "-" + i + ".html"), driver.getPageSource());
                i++;
            }
        } catch (RuntimeException | IOException e) {
            // the browser may be gone
        }
    }

    /** Accessibility basics of the page as shown (language, labels, names, contrast): the problems found. */
    @SuppressWarnings("unchecked")
    static List<String> accessibilityProblems(WebDriver driver) {
        try (var in = Chromium.class.getResourceAsStream("/desk/a11y-check.js")) {
            String script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return (List<String>) ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(script);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Optional<Path> find(String... names) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/usr/lib/chromium");
        for (String name : names) {
            for (String d : dirs) {
                if (d.isEmpty()) {
                    continue;
                }
                Path p = Path.of(d, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
