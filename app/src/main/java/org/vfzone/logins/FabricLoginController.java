package org.vfzone.logins;

import java.security.Principal;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.system.CsvExport;
import org.vfzone.system.PageController;

/** The fabric page's name-server actions: ignore an unknown device or list it again, export the logins. */
@PageController
class FabricLoginController {

    private final IgnoredLogins ignored;
    private final LoginQueries logins;
    private final FabricService fabrics;

    FabricLoginController(IgnoredLogins ignored, LoginQueries logins, FabricService fabrics) {
        this.ignored = ignored;
        this.logins = logins;
        this.fabrics = fabrics;
    }

    @PostMapping("/fabrics/{id}/logins/ignore")
    String ignore(@PathVariable long id, @RequestParam String wwpn, @RequestParam(required = false) String reason,
                  Principal user, RedirectAttributes flash) {
        IgnoredLogins.IgnoredLogin done = ignored.ignore(wwpn, reason, user.getName());
        flash.addFlashAttribute("message", "Device " + done.wwpn() + " is ignored: " + done.reason());
        return "redirect:/fabrics/" + id;
    }

    @PostMapping("/fabrics/{id}/logins/unignore")
    String unignore(@PathVariable long id, @RequestParam String wwpn, Principal user, RedirectAttributes flash) {
        ignored.unignore(wwpn, user.getName());
        flash.addFlashAttribute("message", "Device " + wwpn + " is listed as unknown again.");
        return "redirect:/fabrics/" + id;
    }

    /** Every login of the fabric as CSV, with its status: the unknown ones are where an estate import starts. */
    @GetMapping("/fabrics/{id}/logins.csv")
    ResponseEntity<String> csv(@PathVariable long id) {
        Fabric fabric = fabrics.get(id);
        CsvExport csv = new CsvExport("WWPN", "Node name", "FCID", "Switch port",
                "Symbolic name", "FC-4", "Since", "Status", "Known as", "Ignored because");
        for (LoginQueries.FabricLogin l : logins.ofFabric(id)) {
            // the symbolic name is whatever the device registered with the name server
            csv.row(l.wwpn(), l.nodeName(), l.fcid(), l.switchPort(), l.symbolicName(), l.fc4(), l.firstSeen(),
                    l.status(), l.knownAs(), l.ignoredReason());
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("logins-" + fabric.getName() + ".csv").build().toString())
                .contentType(new MediaType("text", "csv")).body(csv.toString());
    }
}
