package org.vfzone.notification;

import java.security.Principal;
import java.util.EnumSet;
import java.util.Set;

import jakarta.validation.Valid;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.system.FormErrors;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;
import org.vfzone.zoning.ZoningEvent;

/** The notifications page (ADMIN): channels, a form for a new one, and each channel's delivery log. */
@PageController
class NotificationController {

    private final NotificationService notifications;

    NotificationController(NotificationService notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/notifications")
    String list(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "false") boolean failing,
                Model model) {
        java.util.Set<Long> failingIds = notifications.failingChannelIds();
        model.addAttribute("failingIds", failingIds);
        model.addAttribute("onlyFailing", failing);
        model.addAttribute("channels", notifications.list().stream()
                .filter(c -> !failing || failingIds.contains(c.getId())).toList());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new NotificationChannelForm("", NotificationChannel.Kind.EMAIL, "", "",
                    EnumSet.of(ZoningEvent.Kind.CHANGE_PLANNED), true));
        }
        model.addAttribute("kinds", NotificationChannel.Kind.values());
        model.addAttribute("eventKinds", ZoningEvent.Kind.values());
        return "notifications/list";
    }

    @PostMapping("/notifications")
    String create(@Valid @ModelAttribute("form") NotificationChannelForm form, BindingResult result, Principal user,
                  Model model, RedirectAttributes flash) {
        if (!result.hasErrors()) {
            try {
                NotificationChannel channel = notifications.create(form, user.getName());
                flash.addFlashAttribute("message", "Channel " + channel.getName() + " created");
                return "redirect:/notifications";
            } catch (RuleViolation e) {
                FormErrors.reject(e, result);
            }
        }
        return list(false, model);
    }

    @GetMapping("/notifications/{id}")
    String show(@PathVariable long id, Model model) {
        model.addAttribute("channel", notifications.get(id));
        model.addAttribute("deliveries", notifications.deliveries(id, 100));
        return "notifications/detail";
    }

    @PostMapping("/notifications/{id}/delete")
    String delete(@PathVariable long id, Principal user, RedirectAttributes flash) {
        notifications.delete(id, user.getName());
        flash.addFlashAttribute("message", "Channel deleted");
        return "redirect:/notifications";
    }

    static Set<ZoningEvent.Kind> all() {
        return EnumSet.allOf(ZoningEvent.Kind.class);
    }
}
