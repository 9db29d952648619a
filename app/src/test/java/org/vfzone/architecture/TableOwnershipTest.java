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

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OneToOne;
import org.junit.jupiter.api.Test;
import org.springframework.data.jpa.repository.Query;

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
                    "traffic_block", "traffic_compacted_hour", "traffic_source_change", "traffic_vm_sample",
                    "traffic_vm_1h")),
            Map.entry("vcenter", Set.of("vcenter_connection", "vcenter_status", "vcenter_vm")),
            Map.entry("analytics", Set.of("san_analytics_status", "san_analytics_flow")),
            Map.entry("congestion", Set.of("port_counter_sample", "port_counter_hour", "port_counter_day",
                    "port_counter_last", "port_login",
                    "congestion_status", "fpin_sample",
                    "port_alert", "congestion_setting", "device_congestion")),
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

    /**
     * JPA reaches tables through entities too: an association to another module's entity makes JPQL joins and
     * derived queries ({@code findByVmNameOrderBy…}) read that module's table. Entities refer to other modules'
     * aggregates by id, and a module's JPQL names only its own entities.
     */
    @Test
    void entitiesAndJpqlStayInTheirModule() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.vfzone");
        Map<String, String> entityModule = new java.util.HashMap<>();
        for (JavaClass type : classes) {
            if (type.isAnnotatedWith(Entity.class) && module(type) != null) {
                entityModule.put(type.getSimpleName(), module(type));
            }
        }
        assertThat(entityModule).containsKeys("ChangeSet", "StorageAccess", "Fabric", "Vm");
        List<String> violations = new ArrayList<>();
        for (JavaClass type : classes) {
            String module = module(type);
            if (module == null) {
                continue;
            }
            if (type.isAnnotatedWith(Entity.class)) {
                for (JavaField field : type.getFields()) {
                    boolean association = field.isAnnotatedWith(ManyToOne.class) || field.isAnnotatedWith(OneToOne.class)
                            || field.isAnnotatedWith(OneToMany.class) || field.isAnnotatedWith(ManyToMany.class);
                    String target = field.getRawType().getSimpleName();
                    if (association && entityModule.containsKey(target) && !entityModule.get(target).equals(module)) {
                        violations.add(type.getSimpleName() + "." + field.getName() + " joins " + target + " of "
                                + entityModule.get(target));
                    }
                }
            }
            for (JavaMethod method : type.getMethods()) {
                if (!method.isAnnotatedWith(Query.class) || method.getAnnotationOfType(Query.class).nativeQuery()) {
                    continue;
                }
                Matcher named = JPQL_ENTITY.matcher(method.getAnnotationOfType(Query.class).value());
                while (named.find()) {
                    String entity = named.group(1);
                    if (entityModule.containsKey(entity) && !entityModule.get(entity).equals(module)) {
                        violations.add(type.getSimpleName() + "." + method.getName() + " queries " + entity + " of "
                                + entityModule.get(entity));
                    }
                }
            }
        }
        assertThat(violations).as("JPA associations and JPQL reaching another module's entities").isEmpty();
    }

    private static final Pattern JPQL_ENTITY = Pattern.compile("\\b(?:from|join)\\s+([A-Z]\\w*)");

    private static String module(JavaClass type) {
        String[] parts = type.getPackageName().split("\\.");
        return parts.length >= 3 && OWNED.containsKey(parts[2]) ? parts[2] : null;
    }

    @Test
    void theJpqlCheckFindsAnEntityOfAnotherModule() {
        Matcher matcher = JPQL_ENTITY.matcher("select a from StorageAccess a join Vm v on v.id = a.vmId");
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        assertThat(found).containsExactly("StorageAccess", "Vm");
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
