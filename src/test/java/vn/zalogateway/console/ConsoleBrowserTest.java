package vn.zalogateway.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.StoredTemplates;
import vn.zalogateway.support.TestKeys;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver), over real data: messages
 * sent through the API and moved by receipts through the webhook. Each test leaves a screenshot in
 * target/console-screenshots/. Without Chromium the tests are skipped on a laptop, and fail in CI.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final String WEBHOOK = "/v1/webhooks/nxcloud/test-nxcloud-secret";
    static final String OA = "3041812345605770721";

    static ChromeDriverService service;
    static WebDriver browser;

    @TestHTTPResource("/console")
    URL console;

    @InjectEsms
    WireMockServer esms;

    @vn.zalogateway.support.InjectWireMock
    WireMockServer etelecom;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;

    @BeforeAll
    static void startChromium() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && System.getenv("CI") != null) {
            throw new IllegalStateException("CI runs the console's browser tests: install chromium and chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed");
        Files.createDirectories(SCREENSHOTS);
        service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1100",
                        "--lang=vi-VN");
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "callback_events", "messages", "journeys", "idempotency_keys", "oa_hour_costs",
                "cost_hours", "console_sign_in_attempts");
        esms.resetAll();
        etelecom.resetAll();
        browser.manage().deleteAllCookies();
    }

    @AfterEach
    void screenshot(TestInfo test) throws IOException {
        if (browser != null) {
            byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"), png);
        }
    }

    @Test
    void anOperatorSignsInAfterAWrongPasswordAndAForgedFormIsRefused() {
        open("/console/messages");
        assertThat(browser.getCurrentUrl()).contains("/console/sign-in");
        signIn(ConsoleSignIn.ADMIN, "not-the-password");
        assertThat(text(By.id("sign-in-error"))).isEqualTo("Sai tên đăng nhập hoặc mật khẩu.");

        // the same form with a token this server never gave this browser
        js("document.querySelector('input[name=\"csrf-token\"]').value = 'forged'");
        signIn(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
        assertThat(text(By.id("form-expired"))).contains("hết hạn");
        assertThat(browser.manage().getCookieNamed("zg-console-session")).isNull();

        signIn(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
        waitFor(By.id("operator"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/messages");
        assertThat(text(By.id("operator"))).isEqualTo("ops-admin (admin)");
        assertThat(browser.manage().getCookieNamed("zg-console-session").isHttpOnly()).isTrue();

        browser.findElement(By.id("sign-out")).click();
        waitFor(By.id("sign-in-form"));
        open("/console");
        assertThat(browser.getCurrentUrl()).contains("/console/sign-in");
    }

    @Test
    void anOperatorFindsAMessageByExtAndSeesWhyItFailed() {
        String ext = "order-" + UUID.randomUUID();
        String smsId = failedMessage(ext);
        signedIn(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        open("/console/messages");
        browser.findElement(By.name("ext")).sendKeys(ext);
        browser.findElement(By.cssSelector("#message-search button")).click();
        waitFor(By.cssSelector("#messages a[href^='/console/messages/']"));
        List<WebElement> found = browser.findElements(By.cssSelector("#messages a[href^='/console/messages/']"));
        assertThat(found).hasSize(1);
        found.get(0).click();

        waitFor(By.id("timeline"));
        assertThat(text(By.id("message-status"))).isEqualTo("FAILED");
        assertThat(text(By.id("message-ext"))).isEqualTo(ext);
        String timeline = text(By.id("timeline"));
        assertThat(timeline).contains("ACCEPTED", "SMSID " + smsId, "nxcloud success", "code 0: Sent to Zalo", "nxcloud failed",
                "code 17004: Zalo refused to send", "Zalo -118 Zalo account not existed");
        // each attempt and receipt marked with its channel; no SMS here (the message asked for none)
        assertThat(timeline).contains("Zalo nxcloud failed");
        assertThat(browser.findElements(By.cssSelector("#timeline .channel-sms"))).isEmpty();
        assertThat(text(By.id("message-channel"))).isEqualTo("zalo");
        assertThat(browser.findElements(By.id("sms"))).isEmpty();

        // the seed's transaction_order card, as the recipient sees it
        WebElement card = browser.findElement(By.cssSelector("[data-testid=zalo-card]"));
        assertThat(card.findElement(By.className("zc-header")).getText()).isEqualTo("Trạng thái đơn hàng");
        List<WebElement> texts = card.findElements(By.className("zc-text"));
        assertThat(texts.get(0).getText()).isEqualTo("• Cảm ơn bạn đã mua hàng tại cửa hàng.\n• Thông tin đơn hàng của bạn như sau:");
        assertThat(texts.get(1).getCssValue("text-align")).isEqualTo("center");
        WebElement delivering = card.findElement(By.cssSelector(".zc-table .zc-yellow"));
        assertThat(delivering.getText()).isEqualTo("Đang giao");
        assertThat(card.findElements(By.cssSelector(".zc-table tr"))).hasSize(3);
        assertThat(card.findElements(By.className("zc-button"))).extracting(WebElement::getText)
                .containsExactly("Kiểm tra lộ trình\n›", "Xem lại giỏ hàng\n›", "Liên hệ tổng đài\n›");
        assertThat(card.findElement(By.cssSelector(".zc-banner img")).getAttribute("src")).startsWith("https://minio.esms.vn/");
    }

    @Test
    void thePlaygroundReportsABrokenRuleAndThenAcceptsTheFix() {
        signedIn(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
        open("/console/playground?type=transaction_booking");
        assertThat(text(By.id("verdict"))).isEqualTo("Hợp lệ: có thể gửi");
        assertThat(text(By.id("curl"))).contains("/v1/messages", "\"template_type\":\"transaction_booking\"");

        ObjectNode broken = Messages.message();
        ((ObjectNode) broken.get("elements").get(1)).put("content", "x".repeat(101));
        broken.put("template_type", "transaction_party");
        type(broken.toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("verdict"), "2 lỗi cần sửa"));
        assertThat(text(By.id("violations"))).contains("template_type", "elements[1].content");

        ObjectNode fixed = Messages.message();
        type(fixed.toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("verdict"), "Hợp lệ: có thể gửi"));
        assertThat(browser.findElements(By.cssSelector("#violations li"))).isEmpty();
        assertThat(text(By.cssSelector("#playground-result .zc-header"))).isEqualTo("Trạng thái đơn hàng");
        assertThat(text(By.id("curl"))).contains("order-123");
    }

    @Test
    void theOverviewCostsAndReceiptsShowWhatHappened() {
        failedMessage("overview-" + UUID.randomUUID());
        deliver("{\"status\": \"delivered\", \"requestId\": \"zalomid.nobody-knows\", \"code\": 17003, \"message\": \"delivered\"}")
                .then().statusCode(200);
        deliver("{\"status\": \"read\", \"requestId\": \"r\"}").then().statusCode(400);
        signedIn(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);

        open("/console");
        assertThat(text(By.cssSelector(".tile.status-FAILED .n"))).isEqualTo("1");
        assertThat(text(By.id("unmatched"))).isEqualTo("1");
        assertThat(text(By.id("invalid"))).isEqualTo("1");
        assertThat(text(By.cssSelector(".panel table"))).contains(OA, "4999", "5000");
        screenshotAs("overview");

        open("/console/costs");
        assertThat(text(By.id("costs"))).contains(OA, "4.1234 USD");
        assertThat(browser.findElements(By.cssSelector("section[data-oa='" + OA + "'] svg rect"))).hasSize(14);
        screenshotAs("costs");

        open("/console/receipts?kind=invalid");
        browser.findElement(By.cssSelector("#receipts details summary")).click();
        assertThat(text(By.cssSelector("#receipts pre.raw"))).isEqualTo("{\"status\": \"read\", \"requestId\": \"r\"}");
        screenshotAs("receipts-invalid");
        open("/console/receipts");
        assertThat(text(By.id("receipts"))).contains("zalomid.nobody-knows", "delivered");
    }

    @Test
    void journeysConsumersAndARedeliveryByAnAdmin() {
        String journey = UUID.randomUUID().toString();
        rows.update("insert into journeys (consumer_id, id, oa_id, phone, token_type, status, provider_status, journey_id, journey_token, "
                + "charged, created_at, updated_at) values ('00000000-0000-7000-8000-000000000001', ?::uuid, 3041812345605770721, "
                + "'84912345678', 'token_logistics_7', 'ACKNOWLEDGED', 'Z', 'jrn-42', 'jt', true, now(), now())", journey);
        String event = UUID.randomUUID().toString();
        rows.update("insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, status, attempts, last_status_code, "
                + "last_error, created_at, updated_at) values (?::uuid, '00000000-0000-7000-8000-000000000001', 'journey.status_changed', "
                + "?::uuid, 1, '{}', 'FAILED', 8, 500, 'answered 500', now(), now())", event, journey);
        signedIn(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);

        open("/console/journeys");
        browser.findElement(By.name("phone")).sendKeys("0912345678");
        browser.findElement(By.cssSelector("form.search button")).click();
        waitFor(By.cssSelector("#journeys a[href='/console/journeys/" + journey + "']"));
        assertThat(text(By.id("journeys"))).contains("ACKNOWLEDGED", "token_logistics_7");
        screenshotAs("journeys");

        open("/console/consumers");
        assertThat(text(By.id("consumers"))).contains("default");
        browser.findElement(By.linkText("default")).click();
        waitFor(By.id("deliveries"));
        assertThat(text(By.id("deliveries"))).contains("FAILED", "500 answered 500");
        browser.findElement(By.cssSelector("button.redeliver")).click();
        waitFor(By.id("redelivered"));
        // queued again at once, and tried (this consumer has no callback_url: the attempt fails and is counted)
        assertThat(rows.one("select status = 'PENDING' or attempts > 8 as redelivered from callback_events where id = ?::uuid", event))
                .isEqualTo(Map.of("redelivered", true));

        browser.findElement(By.id("language")).click();
        waitFor(By.id("redelivered"));
        assertThat(text(By.id("redelivered"))).isEqualTo("The callback is queued to be sent again now.");
        assertThat(text(By.cssSelector("nav"))).contains("Overview", "Messages", "Playground");
    }

    @Test
    void anAdminFollowsABatchCancelsItEditsAStoredTemplateAndReadsAnOasZnsTemplates() {
        // a batch of two scheduled messages and one refused item, a stored template, and an OA whose templates eTelecom lists
        ObjectNode batch = Messages.JSON.createObjectNode().put("ext", "campaign-browser");
        for (int i = 0; i < 2; i++) {
            batch.withArray("messages").add(Messages.message().put("ext", "browser-" + i).put("send_at", Messages.inVietnam(Duration.ofHours(2))));
        }
        batch.withArray("messages").add(Messages.message().put("template_type", "not-a-type"));
        String batchId = TestKeys.consumer().body(batch.toString()).post("/v1/batches").then().statusCode(202).extract().path("id");
        String name = "browser-" + Long.toString(System.nanoTime(), 36);
        TestKeys.consumer().body(StoredTemplates.orderStatus(name, "Đơn {{order_code}}").toString()).post("/v1/templates")
                .then().statusCode(201);
        String oa = EtelecomStub.newOa();
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.LIST_TEMPLATES))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson("{\"filter\": {\"oa_id\": \"" + oa + "\"}}", true, true))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"templates\": [" + EtelecomStub.listedTemplate(231456, "ENABLE") + ", "
                                + EtelecomStub.listedTemplate(231457, "REJECT") + "], \"paging\": {}}")));
        signedIn(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);

        open("/console/batches");
        browser.findElement(By.cssSelector("#batches a[href='/console/batches/" + batchId + "']")).click();
        waitFor(By.id("batch-counts"));
        assertThat(text(By.id("batch-done"))).isEqualTo("0/2");
        assertThat(text(By.cssSelector("td[data-status='SCHEDULED']"))).isEqualTo("2");
        assertThat(text(By.id("batch-rejected"))).isEqualTo("1");
        screenshotAs("batch");
        browser.findElement(By.cssSelector("#batch-cancel button")).click();
        waitFor(By.id("cancelled"));
        assertThat(text(By.id("batch-done"))).isEqualTo("2/2");
        assertThat(text(By.cssSelector("td[data-status='CANCELLED']"))).isEqualTo("2");
        assertThat(browser.findElements(By.id("batch-cancel"))).isEmpty();
        screenshotAs("batch-cancelled");
        browser.findElement(By.id("batch-messages")).click();
        waitFor(By.id("messages"));
        assertThat(browser.findElements(By.cssSelector("#messages a[href^='/console/messages/']"))).hasSize(2);
        screenshotAs("batch-messages");
        browser.findElements(By.cssSelector("#messages a[href^='/console/messages/']")).get(0).click();
        assertThat(waitFor(By.id("message-batch")).getText()).isEqualTo(batchId);

        open("/console/templates");
        browser.findElement(By.linkText(name)).click();
        waitFor(By.cssSelector("[data-testid=zalo-card]"));
        assertThat(text(By.cssSelector(".zalo-card .zc-header"))).isEqualTo("Đơn order_code");
        assertThat(text(By.cssSelector(".zalo-card .zc-green"))).isEqualTo("0000");
        screenshotAs("stored-template");
        browser.findElement(By.id("edit-template")).click();
        WebElement editor = waitFor(By.id("template-json"));
        js("document.getElementById('template-json').value = arguments[0]",
                StoredTemplates.orderStatus(name, "x".repeat(101)).toString());
        browser.findElement(By.id("save-template")).click();
        waitFor(By.id("violations"));
        assertThat(text(By.id("violations"))).contains("elements[0].content");
        screenshotAs("stored-template-refused");
        js("document.getElementById('template-json').value = arguments[0]",
                StoredTemplates.orderStatus(name, "Đơn mới {{order_code}}").toString());
        browser.findElement(By.id("save-template")).click();
        waitFor(By.id("saved"));
        assertThat(text(By.id("template-version"))).startsWith("v2");
        assertThat(text(By.cssSelector(".zalo-card .zc-header"))).isEqualTo("Đơn mới order_code");
        assertThat(browser.findElements(By.cssSelector("#versions tr"))).hasSize(3);
        assertThat(editor).isNotNull();
        screenshotAs("stored-template-saved");

        open("/console/zns-templates?oa_id=" + oa);
        waitFor(By.id("zns-templates"));
        assertThat(text(By.id("zns-templates"))).contains("231456", "Delivery update", "ENABLE", "REJECT", "IN_TRANSACTION", "order_code");
        screenshotAs("zns-templates");
        browser.findElement(By.linkText("231456")).click();
        waitFor(By.id("zns-params"));
        assertThat(text(By.id("zns-status"))).isEqualTo("ENABLE");
        screenshotAs("zns-template");

        browser.findElement(By.id("language")).click();
        waitFor(By.id("zns-params"));
        assertThat(text(By.cssSelector("nav"))).contains("Batches", "Stored templates", "ZNS templates");
    }

    /** A message of the seed's template, sent through the API, taken by eSMS, then reported sent (with cost) and failed. */
    String failedMessage(String ext) {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}")
                .withTransformers("response-template")));
        ObjectNode body = Messages.message().put("ext", ext);
        String id = TestKeys.consumer().body(body.toString()).post("/v1/messages").then().statusCode(202).extract().path("id");
        String smsId = "sms-" + id;
        await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).untilAsserted(() -> assertThat(
                rows.one("select status from messages where id = ?::uuid", id)).as("the dispatcher submits the message")
                .containsEntry("status", "SUBMITTED"));
        deliver("{\"status\": \"success\", \"requestId\": \"" + smsId + "\", \"code\": 0, \"oaId\": \"" + OA + "\", \"message\": \"Successfully sent.\", "
                + "\"cost\": {\"currency\": \"USD\", \"originalPrice\": 4.1234}, \"zaloRes\": {\"error\": 0, \"message\": \"Success\", "
                + "\"data\": {\"quota\": {\"remainingQuota\": \"4999\", \"dailyQuota\": \"5000\"}}}}").then().statusCode(200);
        deliver("{\"status\": \"failed\", \"requestId\": \"" + smsId + "\", \"code\": 17004, \"oaId\": \"" + OA + "\", "
                + "\"message\": \"Zalo send error(Zalo account not existed)\", \"zaloRes\": {\"error\": -118, \"message\": \"Zalo account not existed\"}}")
                .then().statusCode(200);
        return smsId;
    }

    static io.restassured.response.Response deliver(String body) {
        return given().contentType(ContentType.JSON).body(body).post(WEBHOOK);
    }

    void signedIn(String username, String password) {
        open("/console/sign-in");
        signIn(username, password);
        waitFor(By.id("operator"));
    }

    void signIn(String username, String password) {
        WebElement name = browser.findElement(By.id("username"));
        name.clear();
        name.sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.or(
                ExpectedConditions.presenceOfElementLocated(By.id("operator")),
                ExpectedConditions.presenceOfElementLocated(By.id("sign-in-error")),
                ExpectedConditions.presenceOfElementLocated(By.id("form-expired"))));
    }

    void open(String path) {
        browser.get(console.toString().replaceFirst("/console$", "") + path);
    }

    void type(String json) {
        js("const editor = document.getElementById('message-json'); editor.value = arguments[0];"
                + "editor.dispatchEvent(new Event('input'));", json);
    }

    Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    static String text(By by) {
        return waitFor(by).getText();
    }

    static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void screenshotAs(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
