package org.vfzone.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.system.EventRedelivery;
import org.vfzone.zoning.ChangeSet;
import org.vfzone.zoning.ChangeSetPush;
import org.vfzone.zoning.ChangeSetService;
import org.vfzone.zoning.StorageAccessService;

/**
 * Zoning events reach people: e-mail through a real SMTP server (GreenMail, in this JVM) and a webhook through a
 * real HTTP receiver, signed with the channel's secret; a refused webhook is tried again and the log says so.
 */
class NotificationTest extends IntegrationTest {

    static final GreenMail SMTP = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
            .dynamicPort());

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        // the receivers of these tests listen on loopback, which webhooks may reach only when an admin allows it
        registry.add("vfzone.notifications.webhook-allowed-networks", () -> "127.0.0.1/32");
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    VmService vms;
    @Autowired
    StorageArrayService arrays;
    @Autowired
    StorageAccessService access;
    @Autowired
    ChangeSetService changeSets;
    @Autowired
    ChangeSetPush pushes;
    @Autowired
    NotificationSender sender;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    record Received(Map<String, List<String>> headers, String body) {
    }

    final List<Received> hooks = new CopyOnWriteArrayList<>();
    final AtomicInteger answer = new AtomicInteger(204);
    HttpServer receiver;

    HttpServer receiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            hooks.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    @AfterEach
    void cleanUp() {
        if (receiver != null) {
            receiver.stop(0);
        }
        jdbc.update("delete from notification_channel");
    }

    @Test
    void aPlannedChangeReachesTheApproversMailboxAndASignedWebhookWhichIsRetriedWhenItRefuses() throws Exception {
        receiver = receiver();
        var admin = user("ada").roles("ADMIN");
        String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        mvc.perform(post("/api/notification-channels").with(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "approvers", "kind": "EMAIL", "target": "approvers@example.net, lead@example.net",
                                 "events": ["CHANGE_PLANNED"]}"""))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/notification-channels").with(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "chatops", "kind": "WEBHOOK", "target": "%s", "secret": "hook-secret",
                                 "events": ["CHANGE_PLANNED", "CHANGE_PUSHED"]}""".formatted(hookUrl)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.secretStored").value(true))
                .andExpect(jsonPath("$.secret").doesNotExist());
        mvc.perform(post("/api/notification-channels").with(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"bad\", \"kind\": \"EMAIL\", \"target\": \"not-an-address\","
                                + " \"events\": [\"CHANGE_PLANNED\"]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("target"));
        mvc.perform(get("/api/notification-channels").with(user("olga").roles("APPROVER")))
                .andExpect(status().isForbidden());

        ChangeSet planned = planOneGrant();
        assertThat(sender.deliverDue()).isEqualTo(2);

        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertThat(mails).hasSize(2); // one per recipient
        assertThat(mails[0].getSubject()).startsWith("[vfzone] Change set " + planned.getId() + " on ")
                .contains("planned by alice");
        assertThat(List.of(mails[0].getAllRecipients()).toString()).contains("approvers@example.net",
                "lead@example.net");
        assertThat(GreenMailUtil.getBody(mails[0])).contains("/changes/" + planned.getId());

        assertThat(hooks).hasSize(1);
        Received hook = hooks.get(0);
        assertThat(hook.headers().get("X-vfzone-event")).containsExactly("CHANGE_PLANNED");
        assertThat(hook.headers().get("X-vfzone-signature-256"))
                .containsExactly("sha256=" + NotificationSender.hmac("hook-secret", hook.body()));
        assertThat(hook.body()).contains("\"changeSetId\":" + planned.getId());

        // the webhook refuses the next one: it stays pending with the reason, and goes out on the next try
        answer.set(500);
        changeSets.approve(planned.getId(), "bob");
        pushes.startPush(planned.getId(), "bob");
        pushes.push(planned.getId(), "bob");
        awaitEventsHandled();
        assertThat(sender.deliverDue()).isEqualTo(1);
        long hookChannel = jdbc.queryForObject("select id from notification_channel where name = 'chatops'",
                Long.class);
        mvc.perform(get("/api/notification-channels/{id}/deliveries", hookChannel).with(admin))
                .andExpect(jsonPath("$[0].event").value("CHANGE_PUSHED"))
                .andExpect(jsonPath("$[0].status").value("PENDING"))
                .andExpect(jsonPath("$[0].attempts").value(1))
                .andExpect(jsonPath("$[0].lastError").value("the receiver answered HTTP 500"));
        assertThat(sender.deliverDue()).as("not due before its backoff").isZero();
        answer.set(204);
        jdbc.update("update notification_delivery set next_attempt_at = now() where status = 'PENDING'");
        assertThat(sender.deliverDue()).isEqualTo(1);
        mvc.perform(get("/api/notification-channels/{id}/deliveries", hookChannel).with(admin))
                .andExpect(jsonPath("$[0].status").value("SENT"))
                .andExpect(jsonPath("$[0].attempts").value(2));
        assertThat(hooks).hasSize(3);
        assertThat(hooks.get(2).headers().get("X-vfzone-event")).containsExactly("CHANGE_PUSHED");
    }

    @Test
    void anAdminSendsATestMessageLearnsWhyAFailingChannelFailsAndAChannelHearsOnlyItsFabrics() throws Exception {
        receiver = receiver();
        var admin = user("ada").roles("ADMIN");
        String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        Fabric other = fixtures.fabric("B");
        String created = mvc.perform(post("/api/notification-channels").with(admin).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"name": "fabric-b-only", "kind": "WEBHOOK", "target": "%s",
                                 "events": ["CHANGE_PLANNED"], "fabricIds": [%d]}""".formatted(hookUrl, other.getId())))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.fabricIds[0]").value(other.getId()))
                .andReturn().getResponse().getContentAsString();
        long channel = JsonPath.<Number>read(created, "$.id").longValue();

        mvc.perform(post("/api/notification-channels/{id}/test", channel).with(admin).with(csrf()))
                .andExpect(jsonPath("$.sent").value(true));
        assertThat(hooks).singleElement().satisfies(hook -> assertThat(hook.body()).contains("Test message"));

        // a plan on another fabric does not reach it
        planOneGrant();
        assertThat(jdbc.queryForObject("select count(*) from notification_delivery where channel_id = ? and event = "
                + "'CHANGE_PLANNED'", Long.class, channel)).isZero();

        // the receiver goes away: the test says why in words, and the channel is failing on the to-do list
        int port = receiver.getAddress().getPort();
        receiver.stop(0);
        receiver = null;
        mvc.perform(post("/api/notification-channels/{id}/test", channel).with(admin).with(csrf()))
                .andExpect(jsonPath("$.sent").value(false))
                .andExpect(jsonPath("$.error").value(containsString("cannot reach the receiver at 127.0.0.1: "
                        + "connection refused")))
                .andExpect(jsonPath("$.error").value(Matchers.not(containsString("null"))));
        mvc.perform(get("/api/todo").with(admin))
                .andExpect(jsonPath("$.items[?(@.key == 'channels-failing')].count").value(Matchers
                        .contains(1)));
        mvc.perform(get("/notifications").param("failing", "true").with(admin))
                .andExpect(content().string(containsString("fabric-b-only")));
        assertThat(port).isPositive();

        // edited in the page: disabled, with the events in words
        mvc.perform(post("/notifications/{id}", channel).with(admin).with(csrf())
                        .param("name", "fabric-b-only").param("kind", "WEBHOOK").param("target", hookUrl)
                        .param("events", "CHANGE_PLANNED", "DRIFT_FOUND").param("fabricIds", "" + other.getId()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/notifications/{id}", channel).with(admin))
                .andExpect(content().string(containsString("disabled")))
                .andExpect(content().string(containsString("drift is found")));
        mvc.perform(post("/notifications/{id}", channel).with(admin).with(csrf())
                        .param("name", "fabric-b-only").param("kind", "WEBHOOK").param("target", "not a url")
                        .param("events", "CHANGE_PLANNED"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("is-invalid")))
                .andExpect(content().string(containsString("value=\"not a url\"")));
        // an approver is told what the page needs, not to ask for OPERATOR
        mvc.perform(get("/notifications").with(user("olga").roles("APPROVER")))
                .andExpect(status().isForbidden());
    }

    /**
     * The notification module's reaction to a planned change fails (the database refuses its delivery rows): the
     * event stays in the registry, marked failed, and nothing is delivered. Handed again, as the redelivery job does
     * after a failure or a stopped node, it writes its delivery and leaves the registry.
     */
    @Test
    void aReactionThatFailedIsHandedAgainFromTheEventRegistryAndDeliversOnce() throws Exception {
        receiver = receiver();
        mvc.perform(post("/api/notification-channels").with(user("ada").roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"name": "redelivered", "kind": "WEBHOOK", "target": "http://127.0.0.1:%d/hook",
                                 "events": ["CHANGE_PLANNED"]}""".formatted(receiver.getAddress().getPort())))
                .andExpect(status().isCreated());
        jdbc.execute("""
                create function refuse_delivery() returns trigger language plpgsql as
                $$ begin raise exception 'deliveries refused for this test'; end $$""");
        jdbc.execute("create trigger refuse_delivery before insert on notification_delivery "
                + "for each row execute function refuse_delivery()");
        ChangeSet planned;
        try {
            planned = planOneGrant();
            Awaitility.await().until(() -> jdbc.queryForObject("select count(*) from "
                    + "event_publication where status = 'FAILED' and serialized_event like ?", Long.class,
                    "%\"changeSetId\":" + planned.getId() + ",%") == 1);
        } finally {
            jdbc.execute("drop trigger refuse_delivery on notification_delivery");
            jdbc.execute("drop function refuse_delivery()");
        }
        assertThat(sender.deliverDue()).isZero();

        redelivery.redeliverOlderThan(Duration.ZERO);
        awaitEventsHandled();
        assertThat(jdbc.queryForObject("select count(*) from event_publication where serialized_event like ?",
                Long.class, "%\"changeSetId\":" + planned.getId() + ",%")).isZero();
        assertThat(sender.deliverDue()).isEqualTo(1);
        assertThat(hooks).singleElement().satisfies(hook -> assertThat(hook.body())
                .contains("\"changeSetId\":" + planned.getId()));
    }

    @Autowired
    EventRedelivery redelivery;

    private ChangeSet planOneGrant() {
        Fabric fabric = fixtures.fabric("A");
        Host host = fixtures.host();
        fixtures.adapter(host, fabric, 4, 2);
        Vm vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(8).getId(), "alice");
        StorageArray array = arrays.create(new StorageArrayForm(unique("array"), "Pure Storage", "", ""));
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC0", uniqueWwn(), fabric.getId()));
        access.grant(vm.getId(), array.getId(), "alice");
        ChangeSet planned = changeSets.plan(fabric.getId(), "alice").orElseThrow();
        awaitEventsHandled();
        return planned;
    }

    @Test
    void aWebhookMayNotPointAtTheServersOwnNeighbourhoodHoweverTheAddressIsWritten() throws Exception {
        var admin = user("ada").roles("ADMIN");
        // 127.0.0.1 itself is allowed in this class (its receivers listen there); every other internal address is not
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:8080/",
                "http://127.0.0.2/", "http://10.1.2.3/hook", "http://192.168.0.1/", "http://[::1]/hook",
                "http://[fd00::1]/", "http://100.64.0.1/", "http://user:pw@hooks.example.com/")) {
            mvc.perform(post("/api/notification-channels").with(admin).with(csrf())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"name\": \"ssrf\", \"kind\": \"WEBHOOK\", \"target\": \"" + url
                                    + "\", \"events\": [\"CHANGE_PLANNED\"]}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value("target"));
        }
    }

    @Test
    void theAddressIsCheckedAgainAtDeliveryAndNothingIsSentToAnInternalOne() throws Exception {
        receiver = receiver();
        var admin = user("ada").roles("ADMIN");
        mvc.perform(post("/api/notification-channels").with(admin).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "moved", "kind": "WEBHOOK", "target": "http://127.0.0.1:%d/hook",
                                 "events": ["CHANGE_PLANNED"]}""".formatted(receiver.getAddress().getPort())))
                .andExpect(status().isCreated());
        // what a name that resolves elsewhere by delivery time amounts to: the stored target is now internal
        jdbc.update("update notification_channel set target = ? where name = 'moved'",
                "http://127.0.0.2:" + receiver.getAddress().getPort() + "/hook");
        planOneGrant();
        assertThat(sender.deliverDue()).isEqualTo(1);
        assertThat(hooks).isEmpty();
        assertThat(jdbc.queryForObject("select last_error from notification_delivery d join notification_channel c "
                + "on c.id = d.channel_id where c.name = 'moved'", String.class))
                .startsWith("not sent: the host 127.0.0.2 is at 127.0.0.2, an internal address");
    }

    @Test
    void aWebhookIsSentWithNoTransactionHoldingItsDeliveryRow() throws Exception {
        List<Boolean> rowFree = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            long deliveryId = Long.parseLong(exchange.getRequestHeaders().getFirst("X-Vfzone-Delivery"));
            // another session may lock the row while the receiver is being called: nothing holds it
            rowFree.add(Boolean.TRUE.equals(new TransactionTemplate(
                    transactionManager).execute(status -> {
                        try {
                            jdbc.queryForList("select id from notification_delivery where id = ? for update nowait",
                                    Long.class, deliveryId);
                            return true;
                        } catch (DataAccessException locked) {
                            return false;
                        }
                    })));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        receiver = server;
        mvc.perform(post("/api/notification-channels").with(user("ada").roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"name": "lockcheck", "kind": "WEBHOOK", "target": "http://127.0.0.1:%d/hook",
                                 "events": ["CHANGE_PLANNED"]}""".formatted(server.getAddress().getPort())))
                .andExpect(status().isCreated());
        planOneGrant();
        assertThat(sender.deliverDue()).isEqualTo(1);
        assertThat(rowFree).containsExactly(true);
    }

    @Test
    void withNoNetworkAllowedEveryWayOfWritingAnInternalAddressIsRefused() {
        WebhookTargets none = new WebhookTargets(List.of());
        for (String url : List.of("http://127.0.0.1/", "http://127.1/", "http://2130706433/",
                "http://localhost/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/",
                "http://169.254.169.254/", "http://0.0.0.0/", "http://[::]/", "http://172.16.5.4/",
                "http://[fe80::1]/", "http://255.255.255.255/")) {
            assertThat(none.refusal(URI.create(url))).as(url).isNotNull();
        }
        assertThat(none.refusal(URI.create("http://192.0.2.10/hook"))).as("a documentation address, "
                + "not internal").isNull();
        WebhookTargets allowed = new WebhookTargets(List.of("10.20.0.0/16", "hooks.internal.example"));
        assertThat(allowed.refusal(URI.create("http://10.20.3.4/"))).isNull();
        assertThat(allowed.refusal(URI.create("http://10.21.3.4/"))).isNotNull();
        assertThat(allowed.refusal(URI.create("http://hooks.internal.example/"))).isNull();
    }
}
