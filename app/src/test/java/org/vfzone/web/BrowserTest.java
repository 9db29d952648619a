package org.vfzone.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.SelectOption;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.TestDatabase;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.inventory.VmService;
import org.vfzone.notification.NotificationSender;

/**
 * A storage admin in a real headless Chromium, against the app in demo mode on a real port: signs in, creates a
 * VM, allocates its NPIV identity with VFs on both fabrics, and finds it in the VM list.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vfzone.data-dir=target/test-data", "vfzone.scheduling.enabled=false",
        "vfzone.notifications.webhook-allowed-networks=127.0.0.1/32"})
@ActiveProfiles("demo")
class BrowserTest {

    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    /**
     * Screenshots of the pages along the way with {@code -Dvfzone.screenshots=true}; of the page a test failed on,
     * always. Each full-page PNG costs the browser about half a second.
     */
    static final boolean SCREENSHOTS_ALONG_THE_WAY = Boolean.getBoolean("vfzone.screenshots");
    static final List<String> CHROMIUM_ARGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-dev-shm-usage");

    static Playwright playwright;
    static Browser browser;

    @LocalServerPort
    int port;
    Page page;

    /** A real SMTP server in this JVM, for the notification e-mails the demo sends. */
    static final GreenMail SMTP = new GreenMail(
            new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("spring.datasource.url", () -> TestDatabase.url("vfzone_browser"));
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    @BeforeAll
    static void launch() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get(System.getProperty("vfzone.chromium", "/usr/bin/chromium")))
                .setHeadless(true)
                .setArgs(CHROMIUM_ARGS));
    }

    @AfterAll
    static void close() {
        SMTP.stop();
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void openPage() {
        page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900)).newPage();
    }

    @AfterEach
    void closePage() {
        page.context().close();
    }

    private void screenshot(Page.ScreenshotOptions options) {
        if (SCREENSHOTS_ALONG_THE_WAY) {
            page.screenshot(options);
        }
    }

    /** Before the page closes (after each test): the page a test failed on, as it was. */
    @RegisterExtension
    final AfterTestExecutionCallback screenshotOfAFailure = context -> {
        if (context.getExecutionException().isPresent() && page != null) {
            page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(
                    SCREENSHOTS.resolve("failed-" + context.getRequiredTestMethod().getName() + ".png")));
        }
    };

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void signIn(String user) {
        page.navigate(url("/login"));
        page.getByLabel("User name").fill(user);
        page.getByLabel("Password").fill("vfzone-demo");
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#current-user")).hasText(user);
    }

    @Test
    void anOperatorGivesANewVmDualFabricPathsInTheBrowser() {
        signIn("operator");
        int vmCount = Integer.parseInt(page.locator("#counts .stat").first().textContent().strip());
        Assertions.assertThat(vmCount).as("the 40 demo VMs at least").isGreaterThanOrEqualTo(40);
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard.png")).setFullPage(true));

        page.navigate(url("/vms"));
        page.locator("#new-vm").click();
        page.getByLabel("Name").fill("oracle-prod-01");
        page.getByLabel("Current host").selectOption(new SelectOption()
                .setLabel("esx01.dc1 (prod-cl01)"));
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Save")).click();

        assertThat(page.locator("#object-name")).hasText("oracle-prod-01");
        assertThat(page.locator("#multipath-warning")).containsText("on 0 fabric(s)");

        page.locator("#allocate").click();
        assertThat(page.locator("#flash-message")).containsText("WWPN pair");
        assertThat(page.locator("#multipath-ok")).containsText("2 fabrics");
        assertThat(page.locator("#vm-wwnn")).hasText(Pattern.compile("^2f:00:00:25:b5(:[0-9a-f]{2}){3}$"));
        for (String fabric : List.of("FAB-A", "FAB-B")) {
            var row = page.locator("#paths tr[data-fabric='" + fabric + "']");
            assertThat(row).containsText("path");
            assertThat(row.locator("td.wwn").first()).hasText(
                    Pattern.compile("^2f:00:00:25:b5(:[0-9a-f]{2}){3}$"));
            assertThat(row).containsText("(VF ");
        }
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vm-detail.png")).setFullPage(true));

        page.navigate(url("/vms"));
        page.locator("#q").fill("oracle-prod");
        assertThat(page.locator("#vm-table tbody tr")).hasCount(1);
        assertThat(page.locator("#vm-table tbody tr")).containsText("esx01.dc1");
        assertThat(page.locator("#vm-table tbody tr td").nth(5)).hasText("2");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vm-list.png")).setFullPage(true));
    }

    @Test
    void anOperatorIgnoresAnUnknownDeviceOnTheFabricPageAndListsItAgain() {
        signIn("operator");
        page.navigate(url("/fabrics"));
        page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName("FAB-A").setExact(true)).click();
        var device = page.locator("#fabric-logins tr", new Page.LocatorOptions().setHasText("10:00:00:10:9b:77:10:01"));
        assertThat(device).containsText("unknown to vfzone");
        assertThat(page.locator("#login-summary")).containsText("ignored");

        device.getByLabel("Reason to ignore").fill("backup media server, not virtualized");
        device.getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("Ignore")).click();
        assertThat(page.locator("#flash-message")).containsText("is ignored: backup media server, not virtualized");
        device = page.locator("#fabric-logins tr", new Page.LocatorOptions().setHasText("10:00:00:10:9b:77:10:01"));
        assertThat(device).containsText("ignored: backup media server, not virtualized (operator)");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("fabric-logins.png")).setFullPage(true));

        device.getByRole(AriaRole.BUTTON,
                new Locator.GetByRoleOptions().setName("list as unknown again")).click();
        assertThat(page.locator("#flash-message")).containsText("listed as unknown again");
        assertThat(page.locator("#fabric-logins tr", new Page.LocatorOptions().setHasText("10:00:00:10:9b:77:10:01")))
                .containsText("unknown to vfzone");
    }

    @Autowired
    BrocadeFosEmulator fabricA;
    @Autowired
    CiscoMdsEmulator fabricB;

    @Test
    void aGrantIsPlannedApprovedByASecondUserPushedAndLiveOnTheSwitch() {
        signIn("operator");
        page.navigate(url("/vms?q=app-03"));
        page.locator("#vm-table tbody tr a").first().click();
        assertThat(page.locator("#object-name")).hasText("app-03");
        page.locator("#arrayId").selectOption(new SelectOption().setLabel("netapp-a400-01"));
        page.locator("#grant").click();
        assertThat(page.locator("#grants")).containsText("netapp-a400-01");

        page.navigate(url("/fabrics"));
        page.getByText("FAB-A").first().click();
        page.locator("#plan").click();
        assertThat(page.locator("#cs-status")).hasText("planned");
        assertThat(page.locator("#diff")).containsText("vfz_app-03_netapp-a400-01");
        assertThat(page.locator("#preview")).containsText("PATCH /rest/running/brocade-zone/effective-configuration?vf-id=10");
        assertThat(page.locator("#approve")).hasCount(0);
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("change-review.png")).setFullPage(true));
        String changeUrl = page.url();

        page.context().clearCookies();
        signIn("approver");
        page.navigate(changeUrl);
        page.locator("#approve").click();
        assertThat(page.locator("#cs-status")).hasText("approved");
        page.locator("#push").click();
        assertThat(page.locator("#cs-status")).hasText("done", new LocatorAssertions
                .HasTextOptions().setTimeout(20_000));
        assertThat(page.locator("#cs-outcome")).hasText("committed");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("change-done.png")).setFullPage(true));

        // live on the emulated switch, next to the zone someone made by hand
        Assertions.assertThat(fabricA.effectiveZones(10))
                .containsKeys("vfz_app-03_netapp-a400-01", "manual_backup_tape");
        Assertions.assertThat(fabricA.effectiveZones(10).get("vfz_app-03_netapp-a400-01"))
                .hasSize(4);
    }

    @Test
    void anOperatorPlansOneVmOnBothFabricsAndAnApproverFindsItWaitingThenBrowsesTheLiveZoning() {
        signIn("operator");
        page.navigate(url("/vms?q=etl-04"));
        page.locator("#vm-table tbody tr a").first().click();
        assertThat(page.locator("#object-name")).hasText("etl-04");
        page.locator("#arrayId").selectOption(new SelectOption().setLabel("netapp-a400-01"));
        page.locator("#grant").click();
        assertThat(page.locator("#grants")).containsText("netapp-a400-01");
        page.locator("#plan-vm").click();
        assertThat(page.locator("#planned-change-sets a")).hasCount(2);
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vm-planned.png")).setFullPage(true));
        page.locator("#planned-change-sets a").first().click();
        assertThat(page.locator("#cs-scope")).hasText("only VM(s) etl-04");
        assertThat(page.locator("#diff")).containsText("vfz_etl-04_netapp-a400-01");

        page.context().clearCookies();
        signIn("approver");
        assertThat(page.locator("#awaiting-approval")).containsText("only VM(s) etl-04");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("awaiting-approval.png")).setFullPage(true));

        page.navigate(url("/fabrics"));
        page.getByText("FAB-A").first().click();
        page.locator("#live-zoning-link").click();
        assertThat(page.locator("#live-read")).containsText("zones");
        page.locator("#live-search input[name=q]").fill("manual");
        page.locator("#live-search button").click();
        assertThat(page.locator("#live-zones tbody tr").first()).containsText("manual");
        assertThat(page.locator("#live-zones tbody tr").first()).containsText("foreign");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("live-zoning.png")).setFullPage(true));
    }

    @Autowired
    NotificationSender notificationSender;

    @Test
    void anAdminSubscribesApproversToPlannedChangesAndThePlanArrivesByMailAndWebhook() throws Exception {
        List<String> hookBodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            hookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            signIn("admin");
            page.navigate(url("/notifications"));
            page.getByLabel("Name").fill("approvers-mail");
            page.getByLabel("Sends to").fill("approvers@example.net");
            page.locator("#create-channel").click();
            assertThat(page.locator("#flash-message")).containsText("Channel approvers-mail created");
            page.getByLabel("Name").fill("chatops-hook");
            page.getByLabel("Kind").selectOption("WEBHOOK");
            page.getByLabel("Sends to").fill("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
            page.getByLabel("Webhook secret").fill("hook-secret-1");
            page.locator("#create-channel").click();
            assertThat(page.locator("#channels")).containsText("chatops-hook");
            screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("notifications.png")).setFullPage(true));

            page.context().clearCookies();
            signIn("operator");
            page.navigate(url("/vms?q=bi-02"));
            page.locator("#vm-table tbody tr a").first().click();
            page.locator("#arrayId").selectOption(new SelectOption().setLabel("netapp-a400-01"));
            page.locator("#grant").click();
            page.locator("#plan-vm").click();
            assertThat(page.locator("#planned-change-sets a")).hasCount(2);

            notificationSender.deliverDue(); // what the schedule does every few seconds
            Assertions.assertThat(SMTP.getReceivedMessages())
                    .extracting(Message::getSubject)
                    .anySatisfy(subject -> Assertions.assertThat(subject)
                            .contains("planned by operator").contains("only VM(s) bi-02"));
            Assertions.assertThat(hookBodies).hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(body -> Assertions.assertThat(body)
                            .contains("\"event\":\"CHANGE_PLANNED\""));

            page.context().clearCookies();
            signIn("admin");
            page.navigate(url("/notifications"));
            page.locator("#channels a", new Page.LocatorOptions().setHasText("chatops-hook")).click();
            assertThat(page.locator("#deliveries")).containsText("SENT");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void anOperatorGrantsAnArrayToSeveralVmsAtOnceAndPlansThemTogether() {
        signIn("operator");
        page.navigate(url("/vms?q=mq-0"));
        assertThat(page.locator("#vm-table tbody tr")).hasCount(4);
        page.getByLabel("select mq-01").check();
        page.getByLabel("select mq-02").check();
        page.locator("#bulk-action").selectOption("GRANT");
        page.locator("#bulk-array").selectOption(new SelectOption()
                .setLabel("array netapp-a400-01"));
        page.locator("#bulk-apply").click();
        assertThat(page.locator("#bulk-outcomes")).containsText("VM mq-01: may reach netapp-a400-01");
        assertThat(page.locator("#bulk-outcomes")).containsText("VM mq-02: may reach netapp-a400-01");

        page.navigate(url("/vms?q=mq-0"));
        page.getByLabel("select mq-01").check();
        page.getByLabel("select mq-02").check();
        page.locator("#bulk-action").selectOption("PLAN");
        page.locator("#bulk-apply").click();
        assertThat(page.locator("#bulk-outcomes a")).hasCount(2);
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vm-bulk.png")).setFullPage(true));
        page.locator("#bulk-outcomes a").first().click();
        assertThat(page.locator("#cs-scope")).hasText("only VM(s) mq-01, mq-02");
        assertThat(page.locator("#diff")).containsText("vfz_mq-01_netapp-a400-01");
        assertThat(page.locator("#diff")).containsText("vfz_mq-02_netapp-a400-01");
    }

    @Autowired
    VmService vmService;
    @Autowired
    InventoryDirectory inventoryDirectory;

    @Test
    void theHeaderSearchFindsAVmByItsWwpnInAnyNotation() {
        var vm = vmService.findByName("web-02").orElseThrow();
        String wwpn = inventoryDirectory.initiatorsOfVm(vm.getId()).get(0).activeWwpn();
        signIn("viewer");
        for (String notation : List.of(wwpn, wwpn.replace(":", "").toUpperCase(), wwpn.replace(":", "-"))) {
            page.locator("#global-search input").fill(notation);
            page.locator("#global-search input").press("Enter");
            assertThat(page.locator("#search-results tbody tr").first()).containsText("web-02");
        }
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("search.png")).setFullPage(true));
        page.locator("#search-results tbody tr a").first().click();
        assertThat(page.locator("#object-name")).hasText("web-02");
    }

    @Test
    void aVmTrendReportDrawsItsChartsFromRealNumbers() {
        signIn("viewer");
        page.navigate(url("/vms?q=sql-01"));
        page.locator("#vm-table tbody tr a").first().click();
        page.locator("#traffic-link").click();
        assertThat(page.locator("#vm-charts")).hasAttribute("data-loaded", "true");
        // two fabrics × (IOPS, MB/s, frames/s, errors), and the VM's disks from vCenter (IOPS, MB/s)
        assertThat(page.locator("#vm-charts .vfz-chart")).hasCount(10);
        assertThat(page.locator("#vm-charts .vfz-chart canvas").first()).isVisible();
        int points = Integer.parseInt(page.locator("#vm-charts .vfz-chart").first().getAttribute("data-points"));
        Assertions.assertThat(points).as("points drawn in the 24 h IOPS chart").isGreaterThan(100);
        assertThat(page.locator("#trend-stats")).containsText("read IOPS");
        // each fabric's charts say where their numbers come from: fabric A's host, fabric B's MDS switch
        assertThat(page.locator("#vm-charts .vfz-source")).hasCount(3);
        assertThat(page.locator("#vm-charts .vfz-source").nth(0)).hasText("Source: host collector.");
        assertThat(page.locator("#vm-charts .vfz-source").nth(1)).hasText("Source: switch analytics.");
        assertThat(page.locator("#vm-charts .vfz-source").nth(2)).hasText("Source: vCenter.");
        assertThat(page.locator("#vm-vcenter")).containsText("matched by NPIV WWPN");
        // each chart names its unit on the y axis, and one metric has one scale on both fabrics
        var charts = page.locator("#vm-charts .vfz-chart");
        Assertions.assertThat(List.of(charts.nth(0).getAttribute("data-y-unit"),
                charts.nth(1).getAttribute("data-y-unit"), charts.nth(2).getAttribute("data-y-unit"),
                charts.nth(3).getAttribute("data-y-unit"))).containsExactly("IOPS", "MB/s", "frames/s", "errors");
        Assertions.assertThat(charts.nth(1).getAttribute("data-y-max"))
                .as("MB/s on the first fabric and on the second").isEqualTo(charts.nth(5).getAttribute("data-y-max"))
                .isNotEqualTo("0");
        Assertions.assertThat(page.locator("#vm-charts .u-legend").first().textContent())
                .contains("read").contains("IOPS");
        page.locator("text=7d").first().click();
        assertThat(page.locator("#vm-charts")).hasAttribute("data-loaded", "true");
        // a custom range from the date-time pickers (UTC): the last two days
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).withSecond(0).withNano(0);
        page.locator("#range-from").fill(now.minusDays(2).toString());
        page.locator("#range-to").fill(now.toString());
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Custom range")).click();
        assertThat(page.locator("#vm-charts")).hasAttribute("data-loaded", "true");
        assertThat(page.locator("#vm-charts .vfz-chart")).hasCount(10);
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vm-traffic.png")).setFullPage(true));
    }

    @Test
    void anOperatorPreviewsAndAppliesTheExampleEstateImport() {
        signIn("operator");
        page.navigate(url("/import"));
        Path examples = Paths.get("..", "docs", "examples");
        for (String[] file : new String[][] {{"HOSTS", "hosts.csv"}, {"ADAPTERS", "adapters.csv"},
                {"ARRAYS", "arrays.csv"}, {"VMS", "vms.csv"}, {"VM_WWPNS", "vm-wwpns.csv"}, {"VFS", "vfs.csv"}}) {
            page.locator("#" + file[0]).setInputFiles(examples.resolve(file[1]));
        }
        // while the dry run's request runs the page says so and does not let it be sent twice (seen here with the
        // first submission held back in the page, then the form sent)
        page.evaluate("() => document.addEventListener('submit', event => { if (!window.heldOnce) { "
                + "window.heldOnce = true; event.preventDefault(); } })");
        page.locator("#dry-run").click();
        assertThat(page.locator("#import-progress")).isVisible();
        assertThat(page.locator("#import-progress")).containsText("Sending the files");
        assertThat(page.locator("#dry-run")).isDisabled();
        page.evaluate("() => document.getElementById('upload-form').submit()");
        assertThat(page.locator("#import-summary")).hasText("18 to create, 0 to update, 0 unchanged, 0 problem(s)");
        assertThat(page.locator("#import-changes")).containsText("WWPN pair of oracle-dc2-01 on FAB-A");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("import-preview.png")).setFullPage(true));
        page.locator("#apply").click();
        assertThat(page.locator("#import-applied")).isVisible();
        page.navigate(url("/vms?q=oracle-dc2-01"));
        assertThat(page.locator("#vm-table tbody tr")).containsText("28:2d:00:0c:29:c1:00:01");
    }

    @Test
    void aViewerSeesNoEditControls() {
        signIn("viewer");
        page.navigate(url("/vms"));
        assertThat(page.locator("#new-vm")).hasCount(0);
        page.locator("#vm-table tbody tr a").first().click();
        assertThat(page.locator("#allocate")).hasCount(0);
        assertThat(page.locator("#grant")).hasCount(0);
        // a form typed into the address bar is a read-only page saying why, not a form refused on Save
        page.navigate(url("/vms/new"));
        Assertions.assertThat(page.url()).endsWith("/vms");
        assertThat(page.locator("#flash-error")).containsText("need the OPERATOR role");
        assertThat(page.locator("#vm-table")).isVisible();
        page.navigate(url("/hosts/new"));
        Assertions.assertThat(page.url()).endsWith("/hosts");
    }

    /** Opens a fabric's page from the fabric list and answers its id. */
    private long openFabric(String name) {
        page.navigate(url("/fabrics"));
        page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName(name).setExact(true)).click();
        page.waitForURL(Pattern.compile(".*/fabrics/\\d+$"));
        return Long.parseLong(page.url().replaceAll(".*/fabrics/(\\d+)$", "$1"));
    }

    private int apiPlanStatus(long fabricId, String user, String password) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return page.request().post(url("/api/fabrics/" + fabricId + "/plan"),
                RequestOptions.create().setHeader("Authorization", "Basic " + basic))
                .status();
    }

    @Test
    void anAdminScopesAnOperatorToFabricAWhoIsRefusedOnFabricBInTheUiAndTheApi() {
        signIn("admin");
        page.navigate(url("/users"));
        page.locator("#new-username").fill("ops-fab-a");
        page.locator("#new-password").fill("ops-fab-a-password");
        page.locator("#new-role").selectOption("OPERATOR");
        page.locator("#new-scope").selectOption("chosen");
        page.locator("#new-fabrics").selectOption(new String[] {"FAB-A"}, null);
        page.locator("#create-user").click();
        assertThat(page.locator("#fabrics-ops-fab-a option:checked")).hasText("FAB-A");
        page.context().clearCookies();

        page.navigate(url("/login"));
        page.getByLabel("User name").fill("ops-fab-a");
        page.getByLabel("Password").fill("ops-fab-a-password");
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.locator("#current-user")).hasText("ops-fab-a");
        long fabricA = openFabric("FAB-A");
        assertThat(page.locator("#plan")).isVisible();
        assertThat(page.locator("#scope-note")).hasCount(0);
        long fabricB = openFabric("FAB-B");
        assertThat(page.locator("#plan")).hasCount(0);
        assertThat(page.locator("#scope-note")).containsText("OPERATOR on FAB-A");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("scoped-operator.png")).setFullPage(true));

        Assertions.assertThat(apiPlanStatus(fabricB, "ops-fab-a", "ops-fab-a-password"))
                .isEqualTo(403);
        Assertions.assertThat(apiPlanStatus(fabricA, "ops-fab-a", "ops-fab-a-password"))
                .isIn(201, 204);
    }

    @Test
    void aDirectoryUserSignsInWithTheRoleAndFabricsOfTheirGroup() {
        signIn("alice");
        page.navigate(url("/account"));
        assertThat(page.locator("#grants")).containsText("OPERATOR on FAB-A");
        assertThat(page.locator("#fabric-roles")).containsText("FAB-B");
        assertThat(page.locator("#directory-account")).isVisible();
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("directory-account.png")).setFullPage(true));
        long fabricB = openFabric("FAB-B");
        assertThat(page.locator("#scope-note")).isVisible();
        openFabric("FAB-A");
        assertThat(page.locator("#plan")).isVisible();
        Assertions.assertThat(apiPlanStatus(fabricB, "alice", "vfzone-demo")).isEqualTo(403);
        page.context().clearCookies();

        // carol's only group maps to no vfzone role
        page.navigate(url("/login"));
        page.getByLabel("User name").fill("carol");
        page.getByLabel("Password").fill("vfzone-demo");
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByText("Wrong user name or password.")).isVisible();
    }

    @Test
    void listsSortByAColumnHeaderAndKeepTheChosenPageSize() {
        signIn("viewer");
        page.navigate(url("/hosts?size=25"));
        List<String> ascending = page.locator("#host-table tbody tr td:first-child").allTextContents();
        Assertions.assertThat(ascending).hasSizeGreaterThan(1).isSortedAccordingTo(
                String.CASE_INSENSITIVE_ORDER);
        assertThat(page.locator("#sort-name")).hasText("Name ▲");
        page.locator("#sort-name").click();
        assertThat(page.locator("#sort-name")).hasText("Name ▼");
        List<String> descending = new ArrayList<>(ascending);
        Collections.reverse(descending);
        Assertions.assertThat(page.locator("#host-table tbody tr td:first-child")
                .allTextContents()).isEqualTo(descending);
        Assertions.assertThat(page.url()).contains("size=25").contains("sort=name,desc");
        assertThat(page.locator("#size")).hasValue("25");

        page.navigate(url("/changes"));
        page.locator("#sort-status").click();
        assertThat(page.locator("#sort-status")).hasText("Status ▲");
        page.navigate(url("/audit"));
        page.locator("#sort-actor").click();
        assertThat(page.locator("#sort-actor")).hasText("Who ▲");
    }

    private static FilePayload csv(String name, String text) {
        return new FilePayload(name, "text/csv",
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anImportShowsEveryProblemAtOnceAndKeepsTheFilesForTheNextDryRun() {
        signIn("operator");
        page.navigate(url("/import"));
        Download template = page.waitForDownload(() -> page.locator("#template-HOSTS").click());
        Assertions.assertThat(template.suggestedFilename()).isEqualTo("hosts.csv");
        try {
            Assertions.assertThat(Files.readString(template.path()))
                    .startsWith("Host,Cluster,Hypervisor");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        // saved by a spreadsheet in a decimal-comma locale, with one host twice
        page.locator("#HOSTS").setInputFiles(csv("hosts.csv",
                "Host;Cluster;Hypervisor\nesx91.dc9;dc9-cl01;ESXi\nesx91.dc9;dc9-cl01;ESXi\n"));
        page.locator("#VMS").setInputFiles(csv("vms.csv",
                "VM,UUID,Host,Cluster,WWNN\nimp-dc9-01,,esx91.dc9,dc9-cl01,\nimp-dc9-02,,esx92.dc9,dc9-cl01,\n"));
        page.locator("#dry-run").click();
        assertThat(page.locator("#import-problems")).containsText("duplicates line 2 (same Host)");
        assertThat(page.locator("#import-problems")).containsText("esx92.dc9");
        assertThat(page.locator("#kept-files tr[data-file='hosts.csv']")).containsText("2 rows");
        assertThat(page.locator("#kept-files tr[data-file='vms.csv']")).containsText("2 rows");
        assertThat(page.locator("#apply")).hasCount(0);
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("import-problems.png")).setFullPage(true));

        // away and back: the kept files are still listed, and stay the base of the next dry run
        page.navigate(url("/"));
        page.navigate(url("/import"));
        assertThat(page.locator("#kept-files .kept-name")).hasText(new String[] {"hosts.csv", "vms.csv"});

        // only the corrected file is chosen again; vms.csv is the one kept from the first dry run
        page.locator("#HOSTS").setInputFiles(csv("hosts.csv",
                "Host;Cluster;Hypervisor\nesx91.dc9;dc9-cl01;ESXi\nesx92.dc9;dc9-cl01;ESXi\n"));
        page.locator("#dry-run").click();
        assertThat(page.locator("#import-summary")).hasText("4 to create, 0 to update, 0 unchanged, 0 problem(s)");
        page.locator("#apply").click();
        assertThat(page.locator("#import-applied")).isVisible();
        assertThat(page.locator("#kept-files")).hasCount(0);
        page.navigate(url("/vms?q=imp-dc9"));
        assertThat(page.locator("#vm-table tbody tr")).hasCount(2);

        // a kept file can be removed: the next dry run runs without it
        page.navigate(url("/import"));
        page.locator("#HOSTS").setInputFiles(csv("hosts.csv", "Host;Cluster;Hypervisor\nesx93.dc9;dc9-cl01;ESXi\n"));
        page.locator("#VMS").setInputFiles(csv("vms.csv", "VM,UUID,Host,Cluster,WWNN\nimp-dc9-03,,esx94.dc9,dc9-cl01,\n"));
        page.locator("#dry-run").click();
        assertThat(page.locator("#import-problems")).containsText("esx94.dc9");
        page.locator("#remove-VMS").click();
        assertThat(page.locator("#kept-files .kept-name")).hasText(new String[] {"hosts.csv"});
        page.locator("#dry-run").click();
        assertThat(page.locator("#import-summary")).hasText("1 to create, 0 to update, 0 unchanged, 0 problem(s)");
        page.locator("#discard-kept").click();
        assertThat(page.locator("#kept-files")).hasCount(0);
    }

    @Test
    void aStandardChangeLetsTheFormProvisionAVmToZonedStorageAndDecommissionIt() {
        signIn("operator");
        page.navigate(url("/standard-changes"));
        page.locator("#policy-name").fill("new-web-vms");
        page.locator("#policy-fabrics").selectOption(new String[] {"FAB-A", "FAB-B"});
        page.locator("#policy-arrays").selectOption(new String[] {"pure-x70-01"});
        page.locator("#policy-clusters").fill("prod-cl02");
        page.locator("#policy-remove").check();
        page.locator("#policy-expires").fill(LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
        page.locator("#propose-policy").click();
        assertThat(page.locator("#policy-new-web-vms")).containsText("PROPOSED");
        page.context().clearCookies();
        signIn("approver");
        page.navigate(url("/standard-changes"));
        page.locator("#approve-new-web-vms").click();
        assertThat(page.locator("#policy-new-web-vms")).containsText("ACTIVE");
        page.context().clearCookies();

        signIn("operator");
        page.navigate(url("/vms"));
        page.locator("#new-vm-with-storage").click();
        page.locator("#provision-name").fill("web-prov-01");
        page.locator("#provision-cluster").selectOption("prod-cl02");
        page.locator("#provision-arrays").selectOption(new String[] {"pure-x70-01"});
        page.locator("#provision").click();
        LocatorAssertions.HasTextOptions patiently =
                new LocatorAssertions.HasTextOptions().setTimeout(120_000);
        assertThat(page.locator("#job-status")).hasText("done", patiently);
        assertThat(page.locator("#job-steps")).containsText("pushed to FAB-A (standard:new-web-vms)");
        assertThat(page.locator("#job-steps")).containsText("pushed to FAB-B (standard:new-web-vms)");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("provision-job.png")).setFullPage(true));

        page.locator("#job-vm").click();
        page.locator("#hypervisor-link").click();
        // an ESXi host's VM gets its vSphere configuration only
        assertThat(page.locator("#tab-vsphere")).isVisible();
        assertThat(page.locator("#tab-hyperv")).hasCount(0);
        assertThat(page.locator("#hypervisor-notes")).containsText("64-bit integers");
        assertThat(page.locator("pre").first()).containsText("$vmName = 'web-prov-01'");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("hypervisor-config.png")).setFullPage(true));

        page.navigate(url("/vms?q=web-prov-01"));
        page.locator("#vm-table tbody tr a").first().click();
        page.onceDialog(Dialog::accept);
        page.locator("#decommission").click();
        assertThat(page.locator("#job-status")).hasText("done", patiently);
        assertThat(page.locator("#job-steps")).containsText("WWNs released to quarantine");
        assertThat(page.locator("#job-vm-deleted")).hasText("VM web-prov-01 (deleted)");
        page.navigate(url("/vms?q=web-prov-01"));
        assertThat(page.locator("#vm-table tbody tr")).hasCount(0);
        // the change sets keep the name of the VM they were for, saying it is gone
        page.navigate(url("/changes"));
        assertThat(page.locator("#change-table")).containsText("only VM(s) web-prov-01 (deleted)");
    }

    /** Signs out and in again as another person. */
    private void signInAgainAs(String user) {
        page.context().clearCookies();
        signIn(user);
    }

    private void grantAndPlan(String vm, String reason, String ticket) {
        grant(vm);
        plan(reason, ticket);
    }

    private void grant(String vm) {
        page.navigate(url("/vms?q=" + vm));
        page.locator("#vm-table tbody tr a").first().click();
        assertThat(page.locator("#object-name")).hasText(vm);
        page.locator("#arrayId").selectOption(new SelectOption().setLabel("netapp-a400-01"));
        page.locator("#grant").click();
        assertThat(page.locator("#flash-message")).containsText("VM " + vm + " may now reach netapp-a400-01");
        assertThat(page.locator("#grants")).containsText("netapp-a400-01");
        assertThat(page.locator("#arrayId option", new Page.LocatorOptions().setHasText("netapp-a400-01")))
                .hasCount(0);
    }

    private void plan(String reason, String ticket) {
        page.locator("#reason").fill(reason);
        page.locator("#ticket").fill(ticket);
        page.locator("#plan-vm").click();
        assertThat(page.locator("#planned-change-sets a")).hasCount(2);
    }

    /** The header fits one row with nothing scrolling sideways, as a laptop at 1280×800 shows it. */
    private void fitsTheWindow() {
        // the text assertions before pass once the page's DOM is there; the layout is only final with its stylesheets
        page.waitForLoadState(LoadState.LOAD);
        Object navHeight = page.evaluate("document.querySelector('nav.navbar').getBoundingClientRect().height");
        Assertions.assertThat(((Number) navHeight).doubleValue()).as("one row of navigation")
                .isLessThan(70);
        Assertions.assertThat((Boolean) page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth")).as("no sideways scrolling").isTrue();
    }

    @Test
    void anAdminsDayAt1280x800RunsFromTheToDoListThroughABatchApprovalAStaleReplanAndAnUndo() {
        page.setViewportSize(1280, 800);
        signIn("operator");
        fitsTheWindow();
        Assertions.assertThat(page.request().get(url("/favicon.ico")).status()).isEqualTo(200);
        page.keyboard().press("/");
        assertThat(page.locator("#global-search-input")).isFocused();

        // the to-do list: a VM just granted an array has no zone for it yet; the link lists it per fabric
        grant("erp-02");
        page.navigate(url("/"));
        var unzoned = page.locator("#todo .todo-item[data-key='grants-not-zoned']");
        Assertions.assertThat(Integer.parseInt(unzoned.locator(".badge").textContent().strip()))
                .isGreaterThan(0);
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard-todo-1280.png")));
        unzoned.locator("a").click();
        assertThat(page.locator(".unzoned-fabric[data-fabric='FAB-A']")).containsText("erp-02");
        assertThat(page.locator(".unzoned-fabric[data-fabric='FAB-B']")).containsText("erp-02");
        fitsTheWindow();

        // the VM planned on both fabrics with its reason; the approver finds both and approves them in one action
        page.locator(".unzoned-fabric[data-fabric='FAB-A'] a", new Page.LocatorOptions().setHasText("erp-02")).click();
        plan("ERP ledger LUNs", "CHG0042001");
        page.locator("#planned-change-sets a").first().click();
        assertThat(page.locator("#cs-reason")).containsText("ERP ledger LUNs");
        assertThat(page.locator("#cs-ticket")).hasText("CHG0042001");
        assertThat(page.locator("#cs-batch")).containsText("FAB-B");
        String firstUrl = page.url();
        signInAgainAs("approver");
        page.navigate(url("/changes?awaiting=me"));
        assertThat(page.locator("#change-table")).containsText("CHG0042001");
        page.navigate(firstUrl);
        page.locator("#approve-batch").click();
        assertThat(page.locator("#flash-message")).containsText("Approved change sets");
        assertThat(page.locator("#cs-status")).hasText("approved");
        page.locator("#push").click();
        assertThat(page.locator("#cs-status")).hasText("done", new LocatorAssertions
                .HasTextOptions().setTimeout(20_000));
        fitsTheWindow();
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("change-done-1280.png")).setFullPage(true));

        // undo: the reverse is planned as a new change set, reviewed like any other
        signInAgainAs("operator");
        page.navigate(firstUrl);
        page.onceDialog(Dialog::accept);
        page.locator("#undo").click();
        assertThat(page.locator("#cs-scope")).containsText("undo of change set");
        assertThat(page.locator("#diff")).containsText("vfz_erp-02_netapp-a400-01");
        assertThat(page.locator("#diff tbody tr").first()).containsText("REMOVE");
        page.navigate(url("/fabrics"));
        page.getByText("FAB-A").first().click();
        page.locator("#zoning-history-link").click();
        assertThat(page.locator("#zoning-history tbody tr").first()).containsText("after the push of");

        // the fabric moves under a planned change set: approval marks it stale, and Plan again keeps its scope (one VM)
        grantAndPlan("bi-03", "BI scratch space", "CHG0042002");
        page.locator("#planned-change-sets a").first().click();
        String staleUrl = page.url();
        fabricA.seedZone(10, "prod_cfg_a", "manual_hand_zone_bi", List.of("10:00:00:10:9b:ee:ee:77",
                "20:01:00:a0:98:4d:3e:21"));
        signInAgainAs("approver");
        page.navigate(staleUrl);
        page.locator("#approve").click();
        assertThat(page.locator("#flash-error")).containsText("The fabric changed since change set");
        assertThat(page.locator("#cs-status")).hasText("stale");
        signInAgainAs("operator");
        page.navigate(staleUrl);
        page.locator("#replan").click();
        assertThat(page.locator("#cs-scope")).hasText("only VM(s) bi-03");
        assertThat(page.locator("#cs-reason")).containsText("BI scratch space");
        assertThat(page.locator("#cs-status")).hasText("planned");
        fitsTheWindow();
    }

    @Test
    void anAdminSeesTheVcenterAndTheSwitchAnalyticsAndReadsThemOnDemand() {
        page.setViewportSize(1280, 800);
        signIn("admin");
        page.navigate(url("/"));
        page.locator("#more-menu summary").click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("vCenters")).click();
        var row = page.locator("#vcenter-table tr[data-vcenter='vc01 (emulated)']");
        assertThat(row.locator(".vcenter-status")).containsText("40 of them vfzone's");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Test connection")).click();
        assertThat(row.locator(".vcenter-test")).containsText("Signed in to VMware vCenter Server 8.0.3");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Read now")).click();
        assertThat(page.locator("body")).containsText("vCenter read: 40 VMs, 40 of them vfzone's");
        fitsTheWindow();

        // fabric B's switch has SAN Analytics; fabric A's Brocade has no flow statistics and says so
        page.navigate(url("/fabrics"));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("FAB-B").setExact(true)).click();
        page.locator("#poll-analytics").click();
        assertThat(page.locator("body")).containsText("SAN Analytics:");
        assertThat(page.locator("#analytics-status")).containsText("on");
        page.navigate(url("/fabrics"));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("FAB-A").setExact(true)).click();
        page.locator("#poll-analytics").click();
        assertThat(page.locator("#analytics-status")).containsText("not available");
        assertThat(page.locator("#analytics-status")).containsText("Flow Vision is CLI-only");
        fitsTheWindow();
    }

    @Test
    void anOperatorFindsTheSlowDrainPortOnAFabricAndTheVmNamedItsLikelyCause() {
        page.setViewportSize(1280, 800);
        signIn("operator");
        page.navigate(url("/fabrics"));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("FAB-A").setExact(true)).click();
        page.locator("#congestion-link").click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("24h").setExact(true)).click();
        // the demo's slow-drain VM: its port first, the VM behind it named the likely cause
        var worst = page.locator("#congested-ports tbody tr").first();
        assertThat(worst.locator("[data-role='likely cause']")).hasCount(1);
        assertThat(page.locator("#congestion-status")).containsText("read");
        page.locator("#congestion-poll").click();
        assertThat(page.locator("body")).containsText("Port counters read:");
        fitsTheWindow();
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("fabric-congestion.png")));

        worst.locator("[data-role='likely cause'] a").click();
        assertThat(page.locator("h1")).containsText("Congestion around VM");
        assertThat(page.locator("#vm-ports tr[data-verdict='likely cause']")).hasCount(1);
        assertThat(page.locator(".congestion-timeline").first().locator("tbody tr").first())
                .not().containsText("no symptoms");
        assertThat(page.locator("#fpin-none")).containsText("does not report FPIN");
        // the hourly timeline is drawn as a chart
        assertThat(page.locator(".congestion-chart").first()).hasAttribute("data-points", Pattern.compile("[1-9]\\d*"));
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("vm-congestion.png")).setFullPage(true));
        // the VM's trend report leads to the same page for its period
        String congestionUrl = page.url();
        page.navigate(congestionUrl.replace("/congestion", "/traffic"));
        page.locator("#trend-congestion-link").click();
        assertThat(page.locator("#vm-ports tr[data-verdict='likely cause']")).hasCount(1);

        // a period typed wrong stays beside the field with the reason
        page.locator("#range-from").fill("last tuesday");
        page.locator("#period-form button[type=submit]").click();
        assertThat(page.locator("#range-from")).hasValue("last tuesday");
        assertThat(page.locator("#range-error")).isVisible();
        fitsTheWindow();
    }

    @Test
    void anAdminTestsAFabricsConnectionOnItsPageAndInTheFormBeforeSaving() {
        page.setViewportSize(1280, 800);
        signIn("admin");
        page.navigate(url("/fabrics"));
        page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName("FAB-B").setExact(true)).click();
        page.locator("#test-connection").click();
        assertThat(page.locator("#connection-test-verdict")).hasText("Connection works");
        assertThat(page.locator("#connection-test-steps li[data-step='virtual fabric or VSAN']")).containsText("VSAN");
        assertThat(page.locator("#connection-test-steps li[data-step='sign in']")).containsText("firmware");

        // in the form, before saving: a VSAN the switch does not have is named, and nothing was saved
        page.locator("a.btn", new Page.LocatorOptions().setHasText("Edit")).click();
        page.locator("#virtualFabricId").fill("4000");
        page.locator("#test-connection").click();
        assertThat(page.locator("#connection-test-verdict")).hasText("Connection fails");
        assertThat(page.locator("#connection-test-steps li[data-step='virtual fabric or VSAN']"))
                .containsText("No VSAN 4000");
        assertThat(page.locator("#connection-test-steps li[data-step='read the zoning']")).containsText("skipped");
        assertThat(page.locator("#virtualFabricId")).hasValue("4000");
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("fabric-connection-test.png"))
                .setFullPage(true));
        page.navigate(url("/fabrics"));
        assertThat(page.locator("body")).not().containsText("4000");
    }

    @Test
    void aRefusedFormKeepsWhatWasTypedAndSaysWhyBesideTheField() {
        page.setViewportSize(1280, 800);
        signIn("operator");
        // a standard change without an array: refused beside the arrays, the rest as typed
        page.navigate(url("/standard-changes"));
        page.locator("#policy-name").fill("nightly-\u201cbackup\u201d -- $(id)");
        page.locator("#policy-description").fill("typed once </script><b id=injected>&amp;</b>");
        page.locator("#policy-fabrics").selectOption(new String[] {"FAB-A"});
        page.locator("#policy-expires").fill(LocalDate.now(ZoneOffset.UTC).plusDays(5).toString());
        page.locator("#policy-add").uncheck();
        page.locator("#propose-policy").click();
        assertThat(page.locator("#flash-error")).containsText("choose at least one array");
        assertThat(page.locator("#flash-message")).hasCount(0);
        assertThat(page.locator("#policy-arrays")).hasClass(Pattern.compile("is-invalid"));
        assertThat(page.locator("#error-arrayIds")).hasText("choose at least one array");
        assertThat(page.locator("#policy-name")).hasValue("nightly-\u201cbackup\u201d -- $(id)");
        assertThat(page.locator("#policy-description")).hasValue("typed once </script><b id=injected>&amp;</b>");
        assertThat(page.locator("#injected")).hasCount(0);
        assertThat(page.locator("#policy-add")).not().isChecked();
        Assertions.assertThat(page.locator("#policy-fabrics").evaluate(
                "s => Array.from(s.selectedOptions).map(o => o.text)")).isEqualTo(List.of("FAB-A"));
        screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("form-refused.png")).setFullPage(true));

        // a traffic range with "from" after "to", then with only "to": the page stays, with the reason beside "from"
        page.navigate(url("/vms?q=sql-01"));
        page.locator("#vm-table tbody tr a").first().click();
        page.navigate(page.url() + "/traffic");
        page.locator("#range-from").fill("2026-11-25 13:00");
        page.locator("#range-to").fill("2026-11-24 13:00");
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Custom range")).click();
        assertThat(page.locator("#range-error")).containsText("must be before 'to'");
        assertThat(page.locator("#range-from")).hasValue("2026-11-25 13:00");
        assertThat(page.locator("#range-to")).hasValue("2026-11-24 13:00");
        assertThat(page.locator("#range-refused")).isVisible();
        page.locator("#range-from").fill("");
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Custom range")).click();
        assertThat(page.locator("#range-error")).containsText("give when the period starts too");
        // a range long past: the charts say there is nothing, rather than drawing nothing
        page.locator("#range-from").fill("2020-01-01 00:00");
        page.locator("#range-to").fill("2020-01-02 00:00");
        page.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Custom range")).click();
        assertThat(page.locator("#vm-charts [data-empty]")).hasText("No data in this range.");
        assertThat(page.locator("#range-from")).hasValue("2020-01-01 00:00");
    }
}
