package org.vfzone.congestion;

import java.security.Principal;
import java.time.Clock;
import java.util.List;

import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.Role;
import org.vfzone.system.FormErrors;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;
import org.vfzone.traffic.TrafficPeriod;

/** A fabric's congestion page, a VM's congestion page and a poll on demand. */
@PageController
class CongestionController {

    private final CongestionQueries queries;
    private final CongestionPoller poller;
    private final CongestionProperties properties;
    private final FabricService fabrics;
    private final FabricAccess access;
    private final Clock clock;
    private final CongestionSettings settingsService;

    CongestionController(CongestionQueries queries, CongestionPoller poller, CongestionProperties properties,
                         FabricService fabrics, FabricAccess access, Clock clock, CongestionSettings settingsService) {
        this.queries = queries;
        this.poller = poller;
        this.properties = properties;
        this.fabrics = fabrics;
        this.access = access;
        this.clock = clock;
        this.settingsService = settingsService;
    }

    @GetMapping("/fabrics/{id}/congestion")
    String fabric(@PathVariable long id, @RequestParam(required = false) String range,
                  @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                  Model model) {
        Fabric fabric = fabrics.get(id);
        TrafficPeriod period = period(range, from, to, model);
        model.addAttribute("fabric", fabric);
        model.addAttribute("period", period);
        model.addAttribute("congestion", queries.fabric(id, period.from(), period.to()));
        model.addAttribute("settings", queries.thresholds());
        model.addAttribute("interval", properties.interval());
        return "congestion/fabric";
    }

    /** The period asked for; a refused one keeps what was typed beside its reason and shows the last 24 hours. */
    private TrafficPeriod period(String range, String from, String to, Model model) {
        model.addAttribute("ranges", List.of("1h", "24h", "7d", "30d"));
        model.addAttribute("typedFrom", from);
        model.addAttribute("typedTo", to);
        try {
            return TrafficPeriod.of(range, from, to, clock);
        } catch (RuleViolation e) {
            model.addAttribute("rangeErrorField", e.field());
            model.addAttribute("rangeError", e.getMessage());
            return TrafficPeriod.of("24h", null, null, clock);
        }
    }

    @GetMapping("/congestion")
    String overview(@RequestParam(required = false) String range, @RequestParam(required = false) String from,
                    @RequestParam(required = false) String to, Model model) {
        TrafficPeriod period = period(range == null && from == null ? "1h" : range, from, to, model);
        model.addAttribute("period", period);
        model.addAttribute("fabrics", queries.overview(period.from(), period.to()));
        model.addAttribute("settings", queries.thresholds());
        model.addAttribute("interval", properties.interval());
        return "congestion/overview";
    }

    @GetMapping("/congestion/settings")
    String settings(Model model) {
        CongestionSettings.Thresholds current = settingsService.current();
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new CongestionSettings.Form(current.txWaitPercent(),
                    current.causeSharePercent()));
        }
        model.addAttribute("current", current);
        model.addAttribute("defaults", settingsService.defaults());
        return "congestion/settings";
    }

    @PostMapping("/congestion/settings")
    String saveSettings(@ModelAttribute("form") CongestionSettings.Form form, BindingResult result, Principal who,
                        Model model, RedirectAttributes flash) {
        try {
            settingsService.update(form, who.getName());
        } catch (RuleViolation e) {
            FormErrors.reject(e, result);
            return settings(model);
        }
        flash.addFlashAttribute("message", "Congestion thresholds saved.");
        return "redirect:/congestion/settings";
    }

    @PostMapping("/fabrics/{id}/congestion/poll")
    String poll(@PathVariable long id, RedirectAttributes flash) {
        Fabric fabric = fabrics.get(id);
        access.require(Role.OPERATOR, id, fabric.getName(), "read the port counters of");
        CongestionPoller.Result result = poller.poll(id);
        flash.addFlashAttribute("message", switch (result.status()) {
            case "OK" -> "Port counters read: " + result.ports() + " ports, " + result.logins() + " logins.";
            case "UNAVAILABLE" -> "No port statistics on this fabric: " + result.message();
            default -> "Reading the ports failed: " + result.message();
        });
        return "redirect:/fabrics/" + id + "/congestion";
    }

    @GetMapping("/vms/{id}/congestion")
    String vm(@PathVariable long id, @RequestParam(required = false) String range,
              @RequestParam(required = false) String from, @RequestParam(required = false) String to, Model model) {
        TrafficPeriod period = period(range, from, to, model);
        model.addAttribute("period", period);
        model.addAttribute("congestion", queries.vm(id, period.from(), period.to()));
        model.addAttribute("settings", queries.thresholds());
        model.addAttribute("interval", properties.interval());
        return "congestion/vm";
    }
}
