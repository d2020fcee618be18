package dev.lakehouse.consoletest;

import static dev.lakehouse.common.config.Service.CATALOGD;
import static dev.lakehouse.common.config.Service.EMBEDD;
import static dev.lakehouse.common.config.Service.GATEWAY;
import static dev.lakehouse.common.config.Service.INGESTD;
import static dev.lakehouse.common.config.Service.QUERYD;
import static dev.lakehouse.common.config.Service.STORAGED;
import static dev.lakehouse.common.config.Service.VECTORD;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakehouse.catalogd.CatalogdMain;
import dev.lakehouse.common.json.Json;
import dev.lakehouse.embedd.EmbeddMain;
import dev.lakehouse.gateway.GatewayMain;
import dev.lakehouse.ingestd.IngestdMain;
import dev.lakehouse.queryd.QuerydMain;
import dev.lakehouse.storaged.StoragedMain;
import dev.lakehouse.testkit.Http;
import dev.lakehouse.testkit.S3Extension;
import dev.lakehouse.testkit.TestFleet;
import dev.lakehouse.vectord.VectordMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console, used as a person would in one headless chromium session, against the whole fleet in-process.
 * The scenarios build on each other in order (the dataset ingested first is the one queried next).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    @RegisterExtension
    static final S3Extension S3 = new S3Extension();
    static final Path SHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
    static final String TOKEN = "console-test-token";
    static final String SALES = "region,amount,day\neast,10.5,2024-01-01\nwest,20,2024-01-02\neast,30,2024-01-03\n"
            + "north,5.25,2024-01-04\nwest,1,2024-01-05\neast,20,2024-01-06\n";
    static final String GROUP_BY = "SELECT region, count(*) AS n, sum(amount) AS total FROM sales GROUP BY region ORDER BY region";

    @RegisterExtension
    static final TestFleet FLEET = new TestFleet(S3);
    static Gateway api;
    static ChromeDriver d;
    static Path work;
    static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireInstalled();
        work = Files.createTempDirectory("console-test");
        downloads = work.resolve("downloads");
        // all seven, each started once the services it calls are up
        FLEET.start(STORAGED, StoragedMain::start);
        FLEET.start(CATALOGD, CatalogdMain::start, Map.of("catalogd.rehydrate_retry", "100ms"));
        FLEET.start(EMBEDD, EmbeddMain::start);
        FLEET.start(INGESTD, IngestdMain::start);
        FLEET.start(QUERYD, QuerydMain::start, Map.of("queryd.duckdb_memory_limit", "512MB"));
        FLEET.start(VECTORD, VectordMain::start);
        api = new Gateway(FLEET.start(GATEWAY, GatewayMain::start, Map.of("token", TOKEN)).baseUrl(), TOKEN);
        Http.awaitOk(api.url() + "/v1/health", Duration.ofSeconds(90));
        d = Browser.start(work.resolve("profile"), downloads);
    }

    @AfterAll
    static void stop() {
        if (d != null) {
            d.quit();
        }
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(d, Duration.ofSeconds(30));
    }

    static WebElement await(String css) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    static void open(String page) {
        d.get(api.url() + "/ui/" + page);
        await("main h1");
    }

    static Object js(String script, Object... args) {
        return d.executeScript(script, args);
    }

    static List<String> cells(int rowIndex) {
        return d.findElements(By.cssSelector(".grid-body [role=row][aria-rowindex='" + rowIndex + "'] [role=gridcell]"))
                .stream().map(WebElement::getText).toList();
    }

    static void runSql(String sql) {
        WebElement area = await("#sql-input");
        area.clear();
        area.sendKeys(sql);
        area.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
    }

    @Test
    @Order(1)
    void withoutATokenThePageShowsTheApisErrorAndTheTokenIsKeptInSessionStorageOnly() {
        d.get(api.url() + "/");
        waiting().until(ExpectedConditions.urlToBe(api.url() + "/ui/datasets"));
        WebElement err = await(".error");
        assertTrue(err.getText().contains("401 unauthorized"), err.getText());
        assertTrue(err.getText().contains("missing bearer token"), err.getText());

        d.findElement(By.id("token")).sendKeys(TOKEN);
        d.findElement(By.id("token-save")).click();
        await("#datasets-table, .ds-body.muted");
        assertEquals(TOKEN, js("return sessionStorage.getItem('lakehouse.token')"));
        assertEquals(Boolean.FALSE, js("return Object.values(localStorage).some(v => v.includes(arguments[0])) || document.cookie.includes(arguments[0])", TOKEN));
        assertEquals("", d.findElement(By.id("token")).getAttribute("value"), "the field does not keep showing the token");
    }

    @Test
    @Order(2)
    void aCsvIngestedThroughThePageShowsItsSniffedSchemaThenDriftShowsTheApisError() throws Exception {
        open("datasets");
        Path csv = work.resolve("sales.csv");
        Files.writeString(csv, SALES);
        d.findElement(By.id("ingest-name")).sendKeys("sales");
        d.findElement(By.id("ingest-file")).sendKeys(csv.toString());
        WebElement ok = await("#ingest-result .ok");
        assertEquals("sales version 1: 6 rows in 1 file(s).", ok.getText());
        String schema = d.findElement(By.cssSelector("#ingest-result table")).getText();
        assertTrue(schema.contains("region VARCHAR") && schema.contains("amount DOUBLE") && schema.contains("day DATE"), schema);
        WebElement row = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.xpath("//table[@id='datasets-table']//tr[td/a[text()='sales']]")));
        assertTrue(row.getText().contains("6"), row.getText());
        Browser.screenshot(d, SHOTS, "datasets");

        // the drifted CSV comes by drag and drop: a drop event carrying a File, as the browser makes one
        js("const dt = new DataTransfer(); dt.items.add(new File([arguments[0]], 'drift.csv', {type: 'text/csv'}));"
                + "document.querySelector('.drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}))",
                "region,amount\neast,lots\n");
        WebElement err = await("#ingest-result .error");
        assertTrue(err.getText().startsWith("409 "), err.getText());
        String table = d.findElement(By.cssSelector("#ingest-result table")).getText();
        assertTrue(table.contains("Schema drift") && table.contains("day DATE") && table.contains("amount VARCHAR"), table);
        assertEquals(1, Json.MAPPER.readTree(api.call("GET", "/v1/catalog/datasets/sales", null, null, null).body()).get("version").asInt(),
                "the refused CSV registered nothing");
    }

    @Test
    @Order(3)
    void aDatasetPageShowsSchemaHistoryAndAPreviewAtAChosenVersion() throws Exception {
        api.call("POST", "/v1/ingest/sales?mode=append", "text/csv", "region,amount,day\nsouth,7,2024-02-01\n".getBytes(UTF_8), null);
        open("datasets/sales");
        await("#preview .grid");
        String history = d.findElement(By.cssSelector("section[aria-labelledby=hist-h] table")).getText();
        assertTrue(history.contains("2 7") && history.contains("1 6"), history);
        waiting().until(d -> d.findElements(By.cssSelector("#preview [role=grid][aria-rowcount='8']")).size() == 1);
        new Select(d.findElement(By.id("preview-version"))).selectByValue("1");
        waiting().until(d -> d.findElements(By.cssSelector("#preview [role=grid][aria-rowcount='7']")).size() == 1);
        Browser.screenshot(d, SHOTS, "dataset-detail");
    }

    @Test
    @Order(4)
    void aGroupByRunWithCtrlEnterFillsTheGridAndItsCsvAndArrowDownloadsEqualTheApisAnswer() throws Exception {
        open("sql");
        runSql(GROUP_BY);
        waiting().until(d -> cells(2).size() == 3);
        assertEquals(List.of("region\nVARCHAR", "n\nBIGINT", "total\nDOUBLE"),
                d.findElements(By.cssSelector(".grid-head [role=columnheader]")).stream().map(WebElement::getText).toList());
        assertEquals(List.of("east", "3", "60.5"), cells(2));
        assertEquals(List.of("north", "1", "5.25"), cells(3));
        assertEquals(List.of("south", "1", "7"), cells(4));
        assertEquals(List.of("west", "2", "21"), cells(5));
        assertEquals("4 rows", d.findElement(By.id("sql-rowcount")).getText());
        assertEquals(List.of("SELECT", "count", "AS", "sum", "AS", "FROM", "GROUP", "BY", "ORDER", "BY"),
                d.findElements(By.cssSelector(".sql-shadow .tok-keyword")).stream().map(e -> e.getAttribute("textContent")).toList(),
                "the editor highlights keywords");

        d.findElement(By.id("sql-csv")).click();
        byte[] csv = Files.readAllBytes(Browser.awaitDownload(downloads, "result.csv"));
        Gateway.Reply viaApi = api.call("POST", "/v1/sql", "text/plain", GROUP_BY.getBytes(UTF_8), "text/csv");
        assertEquals(200, viaApi.status());
        assertEquals(viaApi.text(), new String(csv, UTF_8));
        d.findElement(By.id("sql-arrow")).click();
        byte[] arrow = Files.readAllBytes(Browser.awaitDownload(downloads, "result.arrows"));
        assertArrayEquals(api.call("POST", "/v1/sql", "text/plain", GROUP_BY.getBytes(UTF_8), "application/vnd.apache.arrow.stream").body(), arrow);

        new Select(d.findElement(By.id("chart-x"))).selectByIndex(0);
        new Select(d.findElement(By.id("chart-y"))).selectByIndex(2);
        d.findElement(By.id("chart-draw")).click();
        assertEquals(4, d.findElements(By.cssSelector("#sql-chart svg rect.bar")).size());
        Browser.screenshot(d, SHOTS, "sql");
    }

    @Test
    @Order(5)
    void a100kRowResultStaysAFewDozenRowsInThePageAndScrollsToTheLastRow() throws Exception {
        WebElement limit = d.findElement(By.id("sql-limit"));
        limit.clear();
        limit.sendKeys("100000");
        runSql("SELECT range AS i, range % 7 AS m FROM range(100000)");
        waiting().until(d -> "100,000 rows".equals(d.findElement(By.id("sql-rowcount")).getText()));
        WebElement grid = d.findElement(By.cssSelector("#sql-result [role=grid]"));
        assertEquals("100001", grid.getAttribute("aria-rowcount"));
        long inDom = d.findElements(By.cssSelector("#sql-result .grid-body [role=row]")).size();
        assertTrue(inDom > 5 && inDom < 100, "rows in the DOM: " + inDom);
        grid.sendKeys(Keys.END);
        waiting().until(d -> cells(100001).equals(List.of("99999", "4")));

        // a download is the full result, not the grid's page of it
        limit.clear();
        limit.sendKeys("1000");
        runSql("SELECT range AS i FROM range(50000)");
        waiting().until(d -> d.findElement(By.id("sql-rowcount")).getText().startsWith("1,000 rows"));
        Files.deleteIfExists(downloads.resolve("result.csv"));
        d.findElement(By.id("sql-csv")).click();
        assertEquals(50_001, Files.readAllLines(Browser.awaitDownload(downloads, "result.csv")).size(), "header + every row");
    }

    @Test
    @Order(6)
    void aFailingQueryShowsTheErrorWithItsCodeAndSelectsTheLineItIsOn() {
        runSql("SELECT 1\nFROM sales\nWHERE nosuchcolumn = 2");
        WebElement err = await("#sql-result .error");
        assertTrue(err.getText().startsWith("400 "), err.getText());
        assertTrue(err.getText().contains("nosuchcolumn"), err.getText());
        assertEquals("WHERE nosuchcolumn = 2", js("const a = document.getElementById('sql-input'); return a.value.slice(a.selectionStart, a.selectionEnd)"));
    }

    @Test
    @Order(7)
    void aTextSearchFindsTheSemanticNeighbourFirst() throws Exception {
        assertEquals(201, api.call("POST", "/v1/vectors/index", "application/json", "{\"name\":\"notes\",\"dim\":384}".getBytes(UTF_8), null).status());
        List<Map<String, Object>> items = List.of(
                Map.of("id", "login", "text", "Forgot your login? Use the account recovery page.", "metadata", Map.of("kind", "help")),
                Map.of("id", "stew", "text", "A slow-cooked beef stew recipe with carrots and red wine", "metadata", Map.of("kind", "food")),
                Map.of("id", "revenue", "text", "Quarterly revenue grew twelve percent on strong cloud sales", "metadata", Map.of("kind", "news")),
                Map.of("id", "penalty", "text", "The goalkeeper saved a penalty in the last minute of the match", "metadata", Map.of("kind", "news")));
        assertEquals(200, api.call("POST", "/v1/vectors/index/notes/add", "application/json", Json.bytes(Map.of("items", items)), null).status());
        open("vectors");
        waiting().until(d -> d.findElement(By.id("index-list")).getText().contains("notes"));
        assertTrue(d.findElement(By.id("index-list")).getText().contains("notes ready 4 384 cosine"), d.findElement(By.id("index-list")).getText());
        d.findElement(By.id("search-query")).sendKeys("I cannot sign in to my account");
        d.findElement(By.id("search-k")).clear();
        d.findElement(By.id("search-k")).sendKeys("3");
        d.findElement(By.id("search-run")).click();
        WebElement first = await("#hits-table tbody tr");
        List<String> hit = first.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertEquals("1", hit.get(0));
        assertEquals("login", hit.get(1));
        assertEquals("{\"kind\":\"help\"}", hit.get(4));
        assertEquals(3, d.findElements(By.cssSelector("#hits-table tbody tr")).size());
        Browser.screenshot(d, SHOTS, "vectors");
    }

    @Test
    @Order(8)
    void anUploadedObjectCanBeDownloadedAndDeletedListingsPageAndReservedPrefixesAreReadOnly() throws Exception {
        open("objects");
        d.findElement(By.id("obj-prefix")).sendKeys("docs/");
        d.findElement(By.id("obj-browse")).click();
        await("#obj-list .muted");
        Path file = work.resolve("notes.txt");
        Files.writeString(file, "hello from the console\n");
        d.findElement(By.id("obj-file")).sendKeys(file.toString());
        assertTrue(await("#obj-uploaded").getText().startsWith("Uploaded docs/notes.txt"));
        assertEquals("hello from the console\n", api.call("GET", "/v1/storage/objects/docs/notes.txt", null, null, null).text());
        WebElement row = await("#obj-table tr[data-key='docs/notes.txt']");
        Browser.screenshot(d, SHOTS, "objects");

        row.findElement(By.cssSelector(".obj-download")).click();
        assertEquals("hello from the console\n", Files.readString(Browser.awaitDownload(downloads, "notes.txt")));
        WebElement del = row.findElement(By.cssSelector(".obj-delete"));
        del.click();
        assertEquals("Confirm delete", del.getText());
        assertEquals(200 / 100, api.call("GET", "/v1/storage/objects/docs/notes.txt", null, null, null).status() / 100, "one click deletes nothing");
        del.click();
        await("#obj-list p.muted");
        assertEquals(404, api.call("GET", "/v1/storage/objects/docs/notes.txt", null, null, null).status());

        WebElement prefix = d.findElement(By.id("obj-prefix"));
        for (int i = 0; i < 105; i++) {
            assertEquals(201, api.call("PUT", String.format("/v1/storage/objects/many/k%03d", i), "text/plain", new byte[] {'x'}, null).status());
        }
        prefix.clear();
        prefix.sendKeys("many/");
        d.findElement(By.id("obj-browse")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#obj-table tbody tr")).size() == 100);
        assertEquals("many/k000", d.findElement(By.cssSelector("#obj-table tbody tr")).getAttribute("data-key"));
        d.findElement(By.id("obj-next")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#obj-table tbody tr")).size() == 5);
        assertEquals("many/k100", d.findElement(By.cssSelector("#obj-table tbody tr")).getAttribute("data-key"));
        assertFalse(d.findElement(By.id("obj-next")).isEnabled(), "the last page has no next");
        d.findElement(By.id("obj-prev")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#obj-table tbody tr")).size() == 100);

        prefix.clear();
        prefix.sendKeys("datasets/");
        d.findElement(By.id("obj-browse")).click();
        await("#obj-table tr[data-key^='datasets/sales/']");
        assertEquals(0, d.findElements(By.cssSelector("#obj-table .obj-delete")).size());
        assertTrue(d.findElement(By.id("obj-table")).getText().contains("read-only"));
    }

    @Test
    @Order(9)
    void theFleetPageShowsEveryServiceUpAndTheS3Server() throws Exception {
        open("fleet");
        waiting().until(d -> "ok".equals(d.findElement(By.id("fleet-status")).getText()));
        String services = d.findElement(By.id("fleet-health")).getText();
        for (String s : List.of("storaged", "catalogd", "ingestd", "queryd", "vectord", "embedd")) {
            assertTrue(services.contains(s + " ok"), services);
        }
        assertTrue(await("#fleet-s3 .ok").getText().startsWith("reachable"));
        // the gateway's Prometheus /metrics feeds the live-figures panel
        assertEquals(200, api.call("GET", "/metrics", null, null, null).status());
        waiting().until(x -> x.findElement(By.id("fleet-metrics")).isDisplayed());
        assertTrue(d.findElement(By.id("fleet-metrics")).getText().contains("Requests/s"), d.findElement(By.id("fleet-metrics")).getText());
        assertEquals(0, d.findElements(By.cssSelector("main .error")).size());
        // where one exists, its Prometheus text is read like this
        Object parsed = d.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/ui/assets/fleet.js').then(m => done(m.parse('# HELP x\\nhttp_requests_total{svc=\"a\"} 12\\nqueue_depth 3\\nbad line').map(x => x.name + '=' + x.value)))");
        assertEquals(List.of("http_requests_total=12", "queue_depth=3"), parsed);
        Browser.screenshot(d, SHOTS, "fleet");
    }

    @Test
    @Order(10)
    void everyControlHasALabelAndThePagesAreReachableByKeyboard() {
        for (String page : List.of("datasets", "sql", "vectors", "objects", "fleet")) {
            open(page);
            Object unlabelled = js("return [...document.querySelectorAll('input, select, textarea, button')]"
                    + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())"
                    + ".map(e => e.id || e.outerHTML)");
            assertEquals(List.of(), unlabelled, page);
            assertEquals(Boolean.TRUE, js("return document.documentElement.scrollWidth <= window.innerWidth"), page + " fits 1280 px");
        }
        d.get(api.url() + "/ui/datasets");
        await("main h1");
        new Actions(d).sendKeys(Keys.TAB).perform();
        assertEquals("Skip to content", d.switchTo().activeElement().getText());
        d.switchTo().activeElement().sendKeys(Keys.TAB);
        assertEquals("Datasets", d.switchTo().activeElement().getText());
        d.switchTo().activeElement().sendKeys(Keys.TAB);
        d.switchTo().activeElement().sendKeys(Keys.ENTER);
        waiting().until(ExpectedConditions.urlToBe(api.url() + "/ui/sql"));
        assertEquals("SQL", d.switchTo().activeElement().getText(), "the new page's heading has the focus");
    }

    @Test
    @Order(11)
    void aNarrowWindowStacksThePageWithoutSidewaysScrolling() throws Exception {
        Browser.viewport(d, 420, 800);
        try {
            for (String page : List.of("sql", "datasets")) {
                open(page);
                Object wide = js("return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                        + ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))");
                assertEquals(Boolean.TRUE, js("return document.documentElement.scrollWidth <= window.innerWidth"),
                        page + " scrolls sideways at 420 px; past the edge: " + wide);
                Browser.screenshot(d, SHOTS, "narrow-" + page);
            }
            assertFalse(d.findElement(By.id("nav")).getRect().getWidth() > 420);
        } finally {
            Browser.viewport(d, 1280, 800);
        }
    }
}
