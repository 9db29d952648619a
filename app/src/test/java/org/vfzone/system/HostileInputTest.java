package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.assertj.core.api.Assertions;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.vfzone.IntegrationTest;
import org.vfzone.fabric.Json;
import org.vfzone.security.Role;
import org.vfzone.security.UserService;
import tools.jackson.databind.JsonNode;

/**
 * Every operation of the OpenAPI document, and the pages with query parameters, get a table of hostile values in
 * every path parameter, query parameter and body: each answer must be a 4xx or a success, never a 5xx.
 */
class HostileInputTest extends IntegrationTest {

    static final List<String> IDS = List.of("0", "-1", "2147483648", "99999999999999999999", "abc", "1.5", " ");
    static final List<String> VALUES = List.of("\u0000", "a\u0000b", "2147483647", "-2147483648", "-1",
            "99999999999999999999", "'; drop table vm; --", "x".repeat(5000), "2026-13-45T99:99:99Z", "NaN",
            "%00", "..", "\uD83D\uDE00", "");
    static final List<String> BODIES = List.of("", "{", "[]", "null", "123", "\"x\"", "{}",
            "{\"name\":\"a\\u0000b\",\"side\":\"A\",\"vendor\":\"simulated\",\"cluster\":\"c\",\"hypervisor\":\"KVM\"}",
            "{\"name\":\"" + "n".repeat(3000) + "\"}",
            "{\"arrayId\":2147483648,\"vmIds\":[-1],\"wwpn\":[1],\"password\":\"" + "p".repeat(100) + "\"}",
            "[{\"wwpn\":{\"a\":1},\"timestamp\":[1],\"fcp_input_requests\":{\"x\":1}}]");

    @Autowired
    MockMvc mvc;

    final RequestPostProcessor admin = user("fuzz-admin").roles("ADMIN");
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    /** Two requests at a time: the thousands of requests are independent, and the machine has a second core. */
    final ExecutorService senders = Executors.newFixedThreadPool(2);
    final List<Future<?>> sent = new ArrayList<>();

    void send(MockHttpServletRequestBuilder request, String what) {
        sent.add(senders.submit(() -> {
            try {
                int status = mvc.perform(request.with(admin).with(
                        SecurityMockMvcRequestPostProcessors.csrf()))
                        .andReturn().getResponse().getStatus();
                if (status >= 500) {
                    failures.add(status + " for " + what);
                }
            } catch (Exception e) {
                failures.add("exception " + e.getClass().getSimpleName() + " for " + what);
            }
        }));
    }

    /** The failures of every request sent, once all have been answered. */
    Queue<String> failuresOnceAnswered() throws Exception {
        for (Future<?> request : sent) {
            request.get();
        }
        sent.clear();
        return failures;
    }

    @AfterEach
    void stopSenders() {
        senders.shutdownNow();
    }

    @Test
    void noHostileValueInAnyParameterOrBodyOfTheApiGetsA5xx() throws Exception {
        String document = mvc.perform(get("/v3/api-docs").with(admin)).andReturn().getResponse().getContentAsString();
        JsonNode paths = Json.MAPPER.readTree(document).path("paths");
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                HttpMethod method = HttpMethod.valueOf(operation.getKey().toUpperCase());
                operations++;
                List<String> query = new ArrayList<>();
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    if ("query".equals(parameter.path("in").asString())) {
                        query.add(parameter.path("name").asString());
                    }
                }
                for (String id : IDS) {
                    String uri = path.getKey().replaceAll("\\{[^}]+}", id.isBlank() ? "%20" : id);
                    send(request(method, uri).contentType("application/json").content("{}"), method + " " + uri);
                }
                String uri = path.getKey().replaceAll("\\{[^}]+}", "999999");
                for (String name : query) {
                    for (String value : VALUES) {
                        send(request(method, uri).param(name, value).contentType("application/json").content("{}"),
                                method + " " + uri + "?" + name + "=" + abbreviate(value));
                    }
                }
                if (method == HttpMethod.POST || method == HttpMethod.PUT) {
                    for (String body : BODIES) {
                        for (String type : List.of("application/json", "application/x-ndjson", "text/csv")) {
                            send(request(method, uri).contentType(type).content(body),
                                    method + " " + uri + " " + type + " " + abbreviate(body));
                        }
                    }
                }
            }
        }
        assertThat(operations).as("operations in the OpenAPI document").isGreaterThan(40);
        assertThat(failuresOnceAnswered()).isEmpty();
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    /**
     * Every query parameter the page's handler reads (its request parameters and the components of a record it binds),
     * and one it does not read (which only the filters see): a parameter no code reads cannot reach a 500.
     */
    Set<String> parametersOf(String path) {
        Set<String> names = new TreeSet<>(List.of("not-read-by-the-page"));
        AtomicBoolean found = new AtomicBoolean();
        handlers.getHandlerMethods().forEach((info, method) -> {
            boolean get = info.getMethodsCondition().getMethods().isEmpty()
                    || info.getMethodsCondition().getMethods().contains(
                    RequestMethod.GET);
            if (!get || !info.getPatternValues().contains(path)) {
                return;
            }
            found.set(true);
            for (MethodParameter parameter : method.getMethodParameters()) {
                var param = parameter.getParameterAnnotation(RequestParam.class);
                Class<?> type = parameter.getParameterType();
                if (param != null && !Map.class.isAssignableFrom(type)) {
                    String name = !param.name().isEmpty() ? param.name() : !param.value().isEmpty() ? param.value()
                            : parameter.getParameterName();
                    names.add(name);
                } else if (param == null && type.isRecord()) {
                    for (var component : type.getRecordComponents()) {
                        names.add(component.getName());
                    }
                }
            }
        });
        assertThat(found).as("a page answers " + path).isTrue();
        return names;
    }

    @Test
    void noHostileValueInThePagesQueryParametersGetsA5xx() throws Exception {
        for (String page : List.of("/vms", "/hosts", "/arrays", "/fabrics", "/changes", "/audit", "/traffic",
                "/wwns", "/pools", "/users", "/provision", "/notifications")) {
            for (String name : parametersOf(page)) {
                for (String value : VALUES) {
                    send(get(page).param(name, value), page + "?" + name + "=" + abbreviate(value));
                }
            }
        }
        for (String value : VALUES) {
            send(get("/vms/999999/traffic").param("range", "custom").param("from", value).param("to", value),
                    "/vms/{id}/traffic custom " + abbreviate(value));
        }
        assertThat(failuresOnceAnswered()).isEmpty();
    }

    @Test
    void nulInAJsonFieldAnImportedCsvOrAnOverlongPasswordIsA400NamingWhereAndWhy() throws Exception {
        mvc.perform(MockMvcRequestBuilders.post("/api/hosts").with(admin)
                        .contentType("application/json")
                        .content("{\"name\":\"esx\\u0000x\",\"cluster\":\"c\",\"hypervisor\":\"KVM\"}"))
                .andExpect(MockMvcResultMatchers.status().isBadRequest())
                .andExpect(MockMvcResultMatchers.jsonPath("$.detail")
                        .value(Matchers.containsString("Field name: contains a NUL character")));
        MockMultipartFile hosts = new MockMultipartFile(
                "hosts", "hosts.csv", "text/csv", "Host,Cluster,Hypervisor\nesx\u0000-9,c1,KVM\n".getBytes(
                StandardCharsets.UTF_8));
        mvc.perform(MockMvcRequestBuilders.multipart("/api/import")
                        .file(hosts).with(admin))
                .andExpect(MockMvcResultMatchers.status().is(422))
                .andExpect(MockMvcResultMatchers.jsonPath(
                        "$.problems[0].reason").value("contains a NUL character"))
                .andExpect(MockMvcResultMatchers.jsonPath(
                        "$.problems[0].line").value(2));
        send(MockMvcRequestBuilders.post("/users")
                .param("username", unique("long")).param("password", "p".repeat(73)).param("role", "VIEWER"),
                "a 73-byte password");
        assertThat(failuresOnceAnswered()).isEmpty();
        Assertions.assertThatThrownBy(() -> users.create(unique("long"), "ä".repeat(40),
                Role.VIEWER)).hasMessageContaining("at most 72 bytes");
    }

    @Autowired
    UserService users;

    @Test
    void aBadOrInvertedRangeOnTheSeriesIsA400NamingTheParameter() throws Exception {
        for (String[] range : new String[][] {{"yesterday", "", "from"}, {"2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z",
                "from"}, {"2026-11-01T00:00:00Z", "soon", "to"}, {"2020-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "from"}}) {
            mvc.perform(get("/api/traffic/vms/1/series").param("from", range[0]).param("to", range[1]).with(admin))
                    .andExpect(MockMvcResultMatchers.status().isBadRequest())
                    .andExpect(MockMvcResultMatchers.jsonPath(
                            "$.errors[0].field").value(range[2]));
        }
    }

    static String abbreviate(String value) {
        String shown = value.replace("\u0000", "\\0");
        return shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
    }
}
