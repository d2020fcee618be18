package dev.lakehouse.consoletest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium driven by Debian's chromedriver: no browser download, no Selenium Manager (both paths
 * are given), no network (background services off). Absent browser: the tests skip on a developer's machine and
 * fail in CI ({@code CI=true}), where .ci/run installs it.
 */
final class Browser {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("LAKEHOUSE_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("LAKEHOUSE_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Browser() {}

    static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String msg = "console browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(msg + ": missing in CI");
        }
        // surefire counts a class aborted in @BeforeAll as no test at all: say it where the build log shows it
        System.err.println("SKIPPED ConsoleBrowserTest: " + msg);
        Assumptions.abort(msg);
    }

    static ChromeDriver start(Path profile, Path downloads) throws IOException {
        Files.createDirectories(downloads);
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,800");
        o.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        viewport(d, 1280, 800);
        return d;
    }

    /** Sizes the window so the page itself (not the window with its frame) is {@code width × height}. */
    static void viewport(ChromeDriver d, int width, int height) {
        d.manage().window().setSize(new Dimension(width, height));
        long dw = width - ((Number) d.executeScript("return window.innerWidth")).longValue();
        long dh = height - ((Number) d.executeScript("return window.innerHeight")).longValue();
        d.manage().window().setSize(new Dimension(width + (int) dw, height + (int) dh));
    }

    /** The whole page at the window's width (what is below the fold too), as PNG. */
    static void screenshot(ChromeDriver d, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        long width = ((Number) d.executeScript("return window.innerWidth")).longValue();
        long height = ((Number) d.executeScript("return Math.max(document.documentElement.scrollHeight, window.innerHeight)")).longValue();
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1);
        String png = (String) d.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip)).get("data");
        Files.write(dir.resolve(name + ".png"), Base64.getDecoder().decode(png));
    }

    /** Waits until a download named {@code name} is complete in {@code dir}. */
    static Path awaitDownload(Path dir, String name) throws Exception {
        Path file = dir.resolve(name);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (var s = Files.list(dir)) {
                List<Path> partial = s.filter(p -> p.toString().endsWith(".crdownload")).toList();
                if (Files.exists(file) && partial.isEmpty()) {
                    return file;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no download " + name + " in " + dir);
    }
}
