package org.vfzone.zoning;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.inventory.InventoryDirectory;

/** Zoning's part of the global search: vfzone's zones by name, change sets by number. */
@Component
@Transactional(readOnly = true)
public class ZoningSearch {

    private final JdbcTemplate jdbc;
    private final InventoryDirectory inventory;

    ZoningSearch(JdbcTemplate jdbc, InventoryDirectory inventory) {
        this.jdbc = jdbc;
        this.inventory = inventory;
    }

    public List<InventoryDirectory.Hit> search(String text, String wwn, int limit) {
        List<InventoryDirectory.Hit> hits = new ArrayList<>();
        String query = text.strip();
        String number = query.startsWith("#") ? query.substring(1) : query;
        if (number.matches("\\d{1,18}")) {
            hits.addAll(jdbc.query("select id, fabric_id, status from change_set where id = ?", (rs, n) ->
                    new InventoryDirectory.Hit("Change set", "change set " + rs.getLong(1), rs.getString(3)
                            + " on " + inventory.fabricNames().get(rs.getLong(2)), "/changes/" + rs.getLong(1)),
                    Long.parseLong(number)));
        }
        if (query.isEmpty()) {
            return hits;
        }
        String pattern = "%" + query.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        var fabricNames = inventory.fabricNames();
        hits.addAll(jdbc.query("""
                select name, fabric_id, kind from owned_zone_object
                 where (lower(name) like ? or (?::text is not null and position(?::text in members) > 0))
                 order by name limit ?
                """, (rs, n) -> new InventoryDirectory.Hit(rs.getString(3).equals("ZONE") ? "Zone" : "Alias",
                rs.getString(1), "vfzone's, on fabric " + fabricNames.get(rs.getLong(2)),
                "/fabrics/" + rs.getLong(2) + "/live-zoning?q=" + URLEncoder.encode(rs.getString(1),
                        StandardCharsets.UTF_8)), pattern, wwn, wwn, limit));
        return hits;
    }
}
