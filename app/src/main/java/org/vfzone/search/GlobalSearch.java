package org.vfzone.search;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Service;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;
import org.vfzone.zoning.ZoningSearch;

/**
 * The header's search box: VMs, hosts, arrays, fabrics by name; whatever holds a WWN given in any notation;
 * vfzone's zones and aliases; change sets by number. Each result says what it is and links to its page.
 */
@Service
public class GlobalSearch {

    public record Result(String type, String label, String detail, String link) {
    }

    static final int PER_KIND = 20;

    private final InventoryDirectory inventory;
    private final ZoningSearch zoning;

    GlobalSearch(InventoryDirectory inventory, ZoningSearch zoning) {
        this.inventory = inventory;
        this.zoning = zoning;
    }

    public List<Result> search(String query) {
        String text = query == null ? "" : query.strip();
        if (text.length() > 200) {
            text = text.substring(0, 200);
        }
        if (text.isEmpty()) {
            return List.of();
        }
        Wwn wwn = null;
        try {
            wwn = Wwn.parse(text);
        } catch (WwnFormatException notAWwn) {
            // a name, not a WWN
        }
        List<Result> results = new ArrayList<>();
        // a WWN is looked up as one, not also as a name fragment of its digits
        inventory.search(wwn == null ? text : "", wwn, PER_KIND).forEach(hit -> results.add(of(hit)));
        zoning.search(wwn == null ? text : "", wwn == null ? null : wwn.toString(), PER_KIND)
                .forEach(hit -> results.add(of(hit)));
        if (wwn != null) {
            results.add(new Result("WWN", wwn.toString(), "where it is used and which zones on the switches hold it",
                    "/wwns?wwn=" + wwn));
        }
        return results;
    }

    private static Result of(InventoryDirectory.Hit hit) {
        return new Result(hit.type(), hit.label(), hit.detail(), hit.link());
    }
}
