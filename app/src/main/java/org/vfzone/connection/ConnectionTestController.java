package org.vfzone.connection;

import java.util.Locale;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;

/** The fabric page's and the fabric form's "Test connection" (htmx): the steps, each with what failed and why. */
@PageController
class ConnectionTestController {

    private final ConnectionTest connectionTest;

    ConnectionTestController(ConnectionTest connectionTest) {
        this.connectionTest = connectionTest;
    }

    @PostMapping("/fabrics/{id}/test-connection")
    String saved(@PathVariable long id, Model model) {
        model.addAttribute("result", connectionTest.test(id));
        return "zoning/connection-test :: result";
    }

    /** Tests what the form holds, before it is saved; a value the test cannot use is named beside the steps. */
    @PostMapping("/fabrics/test-connection")
    String typed(@RequestParam(required = false) Long fabricId, @RequestParam(required = false) String vendor,
                 @RequestParam(required = false) String managementUrl,
                 @RequestParam(required = false) String managementUsername,
                 @RequestParam(required = false) String managementPassword,
                 @RequestParam(required = false) String virtualFabricId,
                 @RequestParam(required = false) String tlsCertificateSha256, Model model) {
        try {
            Integer partition = virtualFabricId == null || virtualFabricId.isBlank() ? null
                    : parsePartition(virtualFabricId);
            model.addAttribute("result", connectionTest.test(new ConnectionTest.Settings(vendor, managementUrl,
                    managementUsername, managementPassword, partition, tlsCertificateSha256), fabricId));
        } catch (RuleViolation e) {
            if (e.status().value() == 403) {
                throw e;
            }
            String field = e.field() == null ? "" : e.field().replaceAll("([a-z])([A-Z])", "$1 $2")
                    .toLowerCase(Locale.ROOT) + ": ";
            model.addAttribute("problem", field.isEmpty() ? e.getMessage()
                    : Character.toUpperCase(field.charAt(0)) + field.substring(1) + e.getMessage());
        }
        return "zoning/connection-test :: result";
    }

    static Integer parsePartition(String typed) {
        try {
            int value = Integer.parseInt(typed.strip());
            if (value < 1 || value > 4094) {
                throw RuleViolation.invalid("virtualFabricId", "must be 1 to 4094");
            }
            return value;
        } catch (NumberFormatException e) {
            throw RuleViolation.invalid("virtualFabricId", "must be a number from 1 to 4094");
        }
    }
}
