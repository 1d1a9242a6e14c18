package dev.lapstream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lapstream.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard and the Grafana dashboard against a running pipeline: the page in headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver}), the Grafana panels' queries against this process's own scrape.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LiveDashboardTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static LivePipeline pipeline;

    @BeforeAll
    static void start() {
        pipeline = new LivePipeline();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void pageShowsTheStreamLive() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless browser: install Debian's chromium and chromium-driver (.ci/run does)");
        WebDriver browser = startBrowser();
        try {
            browser.get(pipeline.server.uri().toString());
            By row = By.cssSelector("section.stream[data-stream='" + LivePipeline.STREAM + "']");
            await("the stream's row").atMost(Duration.ofSeconds(60)).until(() -> !browser.findElements(row).isEmpty());
            WebElement section = browser.findElement(row);
            Supplier<Long> frames = () -> {
                String text = section.findElement(By.cssSelector("[data-field=frames]")).getText();
                return text.matches("\\d+") ? Long.parseLong(text) : 0L;
            };
            Supplier<String> chart = () -> (String) ((JavascriptExecutor) browser).executeScript(
                    "return arguments[0].querySelector('[data-chart=latency] canvas').toDataURL();", section);
            await("frames counted").atMost(Duration.ofSeconds(30)).until(() -> frames.get() > 0);
            long firstFrames = frames.get();
            String firstChart = chart.get();

            await("the frame counter moves").atMost(Duration.ofSeconds(30)).until(() -> frames.get() > firstFrames);
            await("the chart is redrawn with new points").atMost(Duration.ofSeconds(30))
                    .until(() -> !chart.get().equals(firstChart));
            await("input and upscaled thumbnails load").atMost(Duration.ofSeconds(30)).until(() ->
                    loaded(browser, section, "in") && loaded(browser, section, "out"));
            await("the garbage record counted as a dead letter").atMost(Duration.ofSeconds(30)).until(() ->
                    section.findElement(By.cssSelector("[data-field=dead]")).getText().equals("1"));
            // the two thumbnails are one frame before and after upscaling
            String input = section.findElement(By.cssSelector("[data-field=input]")).getText();
            assertThat(input).matches("frame \\d+, input 64x48");
            String frame = input.substring(0, input.indexOf(','));
            assertThat(section.findElement(By.cssSelector("[data-field=output]")).getText())
                    .isEqualTo(frame + ", upscaled 128x96");
            assertThat(section.findElement(By.cssSelector("[data-chart=widths] canvas"))).isNotNull();

            long later = frames.get() + 80; // ten more seconds of the stream, so the charts have a history to show
            await("ten more seconds of frames").atMost(Duration.ofSeconds(60)).until(() -> frames.get() >= later);
            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            assertThat(Files.size(shot)).isGreaterThan(10_000);
        } finally {
            browser.quit();
        }
    }

    @Test
    void everyGrafanaPanelQueriesAnExportedMetric() throws Exception {
        Path grafana = Path.of(System.getProperty("lapstream.root", ".."), "deploy", "grafana", "lapstream.json");
        List<String> queries = GrafanaQueries.of(Json.MAPPER.readTree(grafana.toFile()));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(5);
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = pipeline.server.uri().resolve("metrics");
        // a dead letter and upscaled frames must have passed for every family to exist
        await("every queried metric is exported").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> exported = GrafanaQueries.sampleNames(http.send(HttpRequest.newBuilder(metrics).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (String query : queries) {
                assertThat(exported).as(query).containsAll(GrafanaQueries.metricNames(query));
            }
        });
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(pipeline.server.uri().resolve("health/ready"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.MAPPER.readTree(ready.body());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(body.at("/checks/dashboard-reader/up").asBoolean()).isTrue();
    }

    private static boolean loaded(WebDriver browser, WebElement section, String side) {
        Object width = ((JavascriptExecutor) browser).executeScript(
                "const i = arguments[0].querySelector('img[data-thumb=" + side + "]');"
                        + " return i.complete ? i.naturalWidth : 0;", section);
        return ((Number) width).longValue() > 0;
    }

    /** Debian's Chromium through its chromedriver, or the test is skipped with the reason. */
    private static WebDriver startBrowser() throws IOException {
        Path profile = Files.createTempDirectory("lapstream-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--window-size=1600,560", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        try {
            return new ChromeDriver(service, options);
        } catch (WebDriverException e) {
            assumeTrue(false, "Chromium cannot run here: " + e.getMessage().lines().findFirst().orElse(""));
            throw e;
        }
    }
}
