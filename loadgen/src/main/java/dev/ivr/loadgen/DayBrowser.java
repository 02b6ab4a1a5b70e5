package dev.ivr.loadgen;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Headless Debian Chromium through Debian's chromedriver (packages {@code chromium} and {@code chromium-driver}, as
 * {@code .ci/setup} installs them; nothing is downloaded), for the simulated day's screenshots. The browser runs on the
 * real clock; the pages show what the server (on its sped-up clock) computes.
 */
final class DayBrowser implements AutoCloseable {
    private final WebDriver driver;
    private final WebDriverWait wait;

    private DayBrowser(WebDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    /** Whether chromium and chromedriver are on the PATH. */
    static boolean installed() {
        return find("chromium").or(() -> find("chromium-browser")).isPresent() && find("chromedriver").isPresent();
    }

    static DayBrowser start(Path profile) throws IOException {
        Path browser = find("chromium").or(() -> find("chromium-browser")).orElseThrow(() -> new IOException(
                "headless Chromium is not installed (apt-get install chromium chromium-driver, or .ci/setup)"));
        Path chromedriver = find("chromedriver").orElseThrow(() -> new IOException(
                "chromedriver is not installed (apt-get install chromium-driver, or .ci/setup)"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1400,1100", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, options);
        // the day is in UTC: the pages show its hours as the reports count them
        d.executeCdpCommand("Emulation.setTimezoneOverride", java.util.Map.of("timezoneId", "Etc/UTC"));
        return new DayBrowser(d);
    }

    private static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Opens the page and signs in with the page's own form. */
    void signIn(String url, String id, String password) {
        driver.get(url);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-id"))).sendKeys(id);
        driver.findElement(By.id("login-password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("login-view")));
    }

    void open(String url) {
        driver.get(url);
    }

    void awaitPresent(String css) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    void awaitCount(String css, int n) {
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(css), n));
    }

    void scrollTo(String id) {
        ((JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
