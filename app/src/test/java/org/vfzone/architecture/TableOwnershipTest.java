package org.vfzone.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Each application module reads and writes only its own tables; what it needs from another module it asks that
 * module's API. The check reads the SQL in each module's sources and the tables the migrations create.
 */
class TableOwnershipTest {

    static final Map<String, Set<String>> OWNED = Map.ofEntries(
            Map.entry("system", Set.of("app_node", "shedlock", "event_publication")),
            Map.entry("audit", Set.of("audit_event")),
            Map.entry("security", Set.of("app_user", "app_user_fabric", "api_token", "api_token_fabric")),
            Map.entry("wwn", Set.of("wwn_pool", "wwn_allocation", "wwn_registry")),
            Map.entry("inventory", Set.of("host_discovery", "fabric_name_seen", "fabric", "host", "adapter", "virtual_function", "vm",
                    "vm_fabric_identity", "storage_array", "target_port")),
            Map.entry("connection", Set.of("fabric_connection")),
            Map.entry("logins", Set.of("fabric_discovery", "fabric_login", "fabric_login_event", "ignored_login")),
            Map.entry("zoning", Set.of("storage_access", "change_set", "standard_change_policy", "owned_zone_object",
                    "fabric_drift_check", "zone_drift", "zoning_snapshot")),
            Map.entry("provisioning", Set.of("provision_job")),
            Map.entry("traffic", Set.of("traffic_sample", "traffic_5m", "traffic_1h", "traffic_rollup_state",
                    "traffic_block", "traffic_compacted_hour")),
            Map.entry("estate", Set.of("import_upload")),
            Map.entry("notification", Set.of("notification_channel", "notification_delivery")),
            Map.entry("demo", Set.of()),
            Map.entry("search", Set.of()));

    private static final Path SOURCES = Path.of("src", "main", "java", "org", "vfzone");
    private static final Pattern TABLE_USE = Pattern.compile(
            "\\b(?:from|join|into|update|table|analyze|truncate)\\s+((?:[a-z_0-9]+\\s*,\\s*)*[a-z_0-9]+)",
            Pattern.CASE_INSENSITIVE);

    @Test
    void theArchitectureDocumentListsEveryModulesTables() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "architecture.md"));
        Map<String, Set<String>> listed = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z]+)` \\| ((?:`[a-z_0-9]+`(?:, )?)+) \\|$").matcher(doc);
        while (row.find()) {
            Set<String> tables = new TreeSet<>();
            Matcher table = Pattern.compile("`([a-z_0-9]+)`").matcher(row.group(2));
            while (table.find()) {
                tables.add(table.group(1));
            }
            listed.put(row.group(1), tables);
        }
        Map<String, Set<String>> expected = new TreeMap<>();
        OWNED.forEach((module, tables) -> {
            if (!tables.isEmpty()) {
                expected.put(module, new TreeSet<>(tables));
            }
        });
        assertThat(listed).as("docs/architecture.md, the table of each module's tables").isEqualTo(expected);
    }

    @Test
    void everyTableTheMigrationsCreateHasAnOwner() throws IOException {
        Set<String> owned = new TreeSet<>();
        OWNED.values().forEach(owned::addAll);
        assertThat(owned).containsAll(createdTables());
    }

    @Test
    void eachModuleUsesOnlyItsOwnTables() throws IOException {
        Set<String> tables = createdTables();
        List<String> violations = new ArrayList<>();
        for (var module : OWNED.entrySet()) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(module.getKey()))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    Matcher matcher = TABLE_USE.matcher(source);
                    while (matcher.find()) {
                        for (String name : matcher.group(1).split("\\s*,\\s*")) {
                            String table = name.toLowerCase();
                            if (tables.contains(table) && !module.getValue().contains(table)) {
                                violations.add(module.getKey() + " uses " + table + " in " + file.getFileName());
                            }
                        }
                    }
                }
            }
        }
        assertThat(violations).as("SQL on another module's tables").isEmpty();
    }

    @Test
    void theCheckFindsATableOfAnotherModule() {
        Matcher matcher = TABLE_USE.matcher("select v.name from vm v join fabric f on f.id = v.fabric_id");
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        assertThat(found).containsExactly("vm", "fabric");
    }

    private static Set<String> createdTables() throws IOException {
        Set<String> tables = new TreeSet<>();
        Pattern create = Pattern.compile("create table (?:if not exists )?([a-z_0-9]+)", Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.list(Path.of("..", "migrations"))) {
            for (Path file : files.toList()) {
                Matcher matcher = create.matcher(Files.readString(file));
                while (matcher.find()) {
                    tables.add(matcher.group(1).toLowerCase());
                }
            }
        }
        tables.removeIf(table -> table.matches("traffic_.*_\\d+|.*_default"));
        return tables;
    }
}
