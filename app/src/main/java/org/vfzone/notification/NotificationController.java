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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.system.FormErrors;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;
import org.vfzone.zoning.ZoningEvent;

/** The notifications page (ADMIN): channels, a form for a new one, and each channel's delivery log. */
@PageController
class NotificationController {

    private final NotificationService notifications;

    private final NotificationSender sender;
    private final FabricService fabrics;

    NotificationController(NotificationService notifications, NotificationSender sender,
                           FabricService fabrics) {
        this.sender = sender;
        this.fabrics = fabrics;
        this.notifications = notifications;
    }

    @GetMapping("/notifications")
    String list(@RequestParam(defaultValue = "false") boolean failing,
                Model model) {
        Set<Long> failingIds = notifications.failingChannelIds();
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
        model.addAttribute("fabrics", fabrics.list());
        model.addAttribute("mailConfigured", notifications.mailConfigured());
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
        NotificationChannel channel = notifications.get(id);
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new NotificationChannelForm(channel.getName(), channel.getKind(),
                    channel.getTarget(), "", channel.getEvents(), channel.isEnabled(), channel.getFabricIds()));
        }
        model.addAttribute("channel", channel);
        model.addAttribute("failing", notifications.failingChannelIds().contains(id));
        model.addAttribute("deliveries", notifications.deliveries(id, 100));
        model.addAttribute("eventKinds", ZoningEvent.Kind.values());
        model.addAttribute("fabrics", fabrics.list());
        model.addAttribute("fabricNames", fabrics.list().stream().filter(f -> channel.getFabricIds()
                .contains(f.getId())).map(Fabric::getName).toList());
        return "notifications/detail";
    }

    /** Edits a channel (its kind stays); a refused value is shown beside its field with what was typed. */
    @PostMapping("/notifications/{id}")
    String update(@PathVariable long id, @Valid @ModelAttribute("form") NotificationChannelForm form,
                  BindingResult result, Principal user, Model model, RedirectAttributes flash) {
        if (!result.hasErrors()) {
            try {
                NotificationChannel channel = notifications.update(id, form, user.getName());
                flash.addFlashAttribute("message", "Channel " + channel.getName() + " saved"
                        + (channel.isEnabled() ? "" : "; it is disabled and sends nothing"));
                return "redirect:/notifications/" + id;
            } catch (RuleViolation e) {
                FormErrors.reject(e, result);
            }
        }
        return show(id, model);
    }

    /** Sends a test message now and says whether the receiver took it, or why not. */
    @PostMapping("/notifications/{id}/test")
    String test(@PathVariable long id, Principal user, RedirectAttributes flash) {
        String error = sender.sendTest(id, user.getName());
        if (error == null) {
            flash.addFlashAttribute("message", "Test message sent: the receiver accepted it.");
        } else {
            flash.addFlashAttribute("error", "Test message not delivered: " + error);
        }
        return "redirect:/notifications/" + id;
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
