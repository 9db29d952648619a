package org.vfzone.zoning;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.FabricService;
import org.vfzone.system.PageController;
import tools.jackson.databind.json.JsonMapper;

/** Pages of a fabric's zoning history (kept around every push, downloadable) and of undoing a pushed change set. */
@PageController
class ZoningHistoryController {

    private final ZoningHistory history;
    private final FabricService fabrics;
    private final ChangeSetService changeSets;
    private final JsonMapper json;

    ZoningHistoryController(ZoningHistory history, FabricService fabrics, ChangeSetService changeSets,
                            JsonMapper json) {
        this.history = history;
        this.fabrics = fabrics;
        this.changeSets = changeSets;
        this.json = json;
    }

    @GetMapping("/fabrics/{id}/zoning-history")
    String list(@PathVariable long id, Model model) {
        model.addAttribute("fabric", fabrics.get(id));
        model.addAttribute("snapshots", history.of(id, 200));
        return "zoning/history";
    }

    @GetMapping("/fabrics/{id}/zoning-history/{snapshotId}.json")
    ResponseEntity<String> json(@PathVariable long id, @PathVariable long snapshotId) {
        ZoningHistory.Content content = history.content(id, snapshotId);
        return download(json.writerWithDefaultPrettyPrinter().writeValueAsString(SnapshotDocument.of(content)),
                MediaType.APPLICATION_JSON, name(id, content) + ".json");
    }

    @GetMapping("/fabrics/{id}/zoning-history/{snapshotId}/cli.txt")
    ResponseEntity<String> cli(@PathVariable long id, @PathVariable long snapshotId) {
        ZoningHistory.Content content = history.content(id, snapshotId);
        return download(String.join("\n", history.recreateScript(id, snapshotId)) + "\n",
                new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8), name(id, content) + "-cli.txt");
    }

    /** Plans the reverse of a pushed change set; the new change set is reviewed and approved like any other. */
    @PostMapping("/changes/{id}/undo")
    String undo(@PathVariable long id, @RequestParam(required = false) String reason,
                @RequestParam(required = false) String ticket, Principal user, RedirectAttributes flash) {
        Optional<ChangeSet> planned = changeSets.undo(id, user.getName(), ChangeReason.of(reason, ticket));
        if (planned.isEmpty()) {
            flash.addFlashAttribute("message", "The fabric already holds what it held before change set " + id
                    + " was pushed: nothing to undo.");
            return "redirect:/changes/" + id;
        }
        flash.addFlashAttribute("message", "Planned the undo of change set " + id + ". Review it, then ask an "
                + "approver to approve it.");
        return "redirect:/changes/" + planned.get().getId();
    }

    private String name(long fabricId, ZoningHistory.Content content) {
        return "vfzone-zoning-" + fabrics.get(fabricId).getName() + "-" + content.snapshot().id() + "-"
                + content.snapshot().phase().name().toLowerCase(Locale.ROOT);
    }

    static ResponseEntity<String> download(String body, MediaType type, String filename) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(filename, StandardCharsets.UTF_8).build().toString())
                .body(body);
    }

    /** A snapshot as downloaded: when and around which push it was read, the zoning, and which objects were vfzone's. */
    record SnapshotDocument(long id, long fabricId, Long changeSetId, ZoningHistory.Phase phase,
                            Instant takenAt, ZoningDatabase zoning,
                            List<String> vfzoneZones, List<String> vfzoneAliases) {
        static SnapshotDocument of(ZoningHistory.Content content) {
            ZoningHistory.Snapshot s = content.snapshot();
            return new SnapshotDocument(s.id(), s.fabricId(), s.changeSetId(), s.phase(), s.takenAt(),
                    content.zoning(), List.copyOf(content.vfzoneZones()), List.copyOf(content.vfzoneAliases()));
        }
    }
}
