package org.vfzone.estate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.PageController;

/**
 * Estate import: upload the CSV files, see the dry run (every change and every problem with file, line and
 * column), then apply the same files — all or nothing. The API does the same in one call with {@code dryRun}.
 */
@PageController
class EstateImportController {

    private final EstateImport estateImport;
    private final ImportUploads uploads;
    private final ImportProgress progress;

    EstateImportController(EstateImport estateImport, ImportUploads uploads, ImportProgress progress) {
        this.estateImport = estateImport;
        this.uploads = uploads;
        this.progress = progress;
    }

    /** A fresh id on every page, under which the page follows the import it submits. */
    @ModelAttribute("progressId")
    String progressId() {
        return UUID.randomUUID().toString();
    }

    @GetMapping("/import")
    String form(Principal user, Model model) {
        model.addAttribute("files", EstateImport.File.values());
        showKept(user.getName(), model);
        return "estate/import";
    }

    /** The files kept for the next dry run: name, rows and age; always shown until applied or removed. */
    private void showKept(String user, Model model) {
        uploads.latest(user).ifPresent(kept -> {
            model.addAttribute("kept", kept.list());
            model.addAttribute("keptAt", kept.keptAt());
        });
    }

    /** Removes one kept file; the next dry run runs without it. */
    @PostMapping("/import/kept/{file}/remove")
    String removeKept(@PathVariable String file, Principal user,
                      RedirectAttributes flash) {
        EstateImport.File kind = Arrays.stream(EstateImport.File.values())
                .filter(f -> f.name().equalsIgnoreCase(file)).findFirst()
                .orElseThrow(() -> new NotFoundException("Import file", file));
        uploads.latest(user.getName()).ifPresent(kept -> {
            Map<EstateImport.File, String> rest = new EnumMap<>(EstateImport.File.class);
            rest.putAll(kept.files());
            rest.remove(kind);
            if (rest.isEmpty()) {
                uploads.discard(user.getName());
            } else {
                uploads.keep(rest, user.getName());
            }
        });
        flash.addFlashAttribute("message", kind.fileName + " removed from the kept files; run the dry run again.");
        return "redirect:/import";
    }

    /** Forgets every kept file: the next dry run uses only the files chosen then. */
    @PostMapping("/import/kept/discard")
    String discardKept(Principal user,
                       RedirectAttributes flash) {
        uploads.discard(user.getName());
        flash.addFlashAttribute("message", "Kept files removed.");
        return "redirect:/import";
    }

    /** How far the import started with that progress id is (404 until it starts, or for another user's). */
    @GetMapping("/import/progress/{id}")
    @ResponseBody
    ResponseEntity<ImportProgress.Status> progress(
            @PathVariable String id, Principal user) {
        ImportProgress.Status status = progress.of(id, user.getName());
        return status == null ? ResponseEntity.notFound().build()
                : ResponseEntity.ok(status);
    }

    /**
     * The dry run of uploaded files. The files stay on the server, for the apply step or, when there are problems,
     * for the next dry run: the admin chooses again only the files they corrected (a file chosen now replaces the
     * kept one of the same kind; the page lists what is kept).
     */
    @PostMapping("/import/preview")
    String preview(@RequestParam Map<String, MultipartFile> uploads,
                   @RequestParam(name = "progressId", required = false) String progressId,
                   Principal user, Model model) throws IOException {
        // the files kept for this user are the base, whether or not the page still names them: a file chosen now
        // replaces the kept one of its kind
        Map<EstateImport.File, String> files = new LinkedHashMap<>();
        this.uploads.latest(user.getName()).ifPresent(kept -> files.putAll(kept.files()));
        Map<EstateImport.File, String> chosen = read(uploads);
        files.putAll(chosen);
        Map<EstateImport.File, String> ordered = new EnumMap<>(EstateImport.File.class);
        ordered.putAll(files);
        EstateImport.Report report = estateImport.run(ordered, true, progress.track(progressId, user.getName()));
        model.addAttribute("files", EstateImport.File.values());
        model.addAttribute("report", report);
        if (!ordered.isEmpty()) {
            UUID id = this.uploads.keep(ordered, user.getName());
            if (report.problems().isEmpty()) {
                model.addAttribute("uploadId", id);
            }
        }
        showKept(user.getName(), model);
        return "estate/import";
    }

    private static UUID uuid(String text) {
        try {
            return text == null || text.isBlank() ? null : UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A file's template: its header and example rows, to fill in a spreadsheet. */
    @GetMapping("/import/templates/{fileName}")
    ResponseEntity<byte[]> template(@PathVariable
                                                             String fileName) throws IOException {
        return templateOf(fileName);
    }

    static ResponseEntity<byte[]> templateOf(String fileName) throws IOException {
        EstateImport.File file = Arrays.stream(EstateImport.File.values())
                .filter(f -> f.fileName.equalsIgnoreCase(fileName)).findFirst()
                .orElseThrow(() -> new NotFoundException("Import template", fileName));
        byte[] body;
        try (InputStream in = EstateImportController.class.getResourceAsStream("/estate-templates/"
                + file.fileName)) {
            body = in == null ? (String.join(",", file.columns) + "\n").getBytes(StandardCharsets.UTF_8)
                    : in.readAllBytes();
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(file.fileName).build()
                                .toString())
                .body(body);
    }

    @PostMapping("/import/apply")
    String apply(@RequestParam String uploadId,
                 @RequestParam(name = "progressId", required = false) String progressId, Principal user,
                 Model model) {
        model.addAttribute("files", EstateImport.File.values());
        UUID id = uuid(uploadId);
        Optional<Map<EstateImport.File, String>> files = id == null ? Optional.empty()
                : uploads.take(id, user.getName());
        if (files.isEmpty()) {
            model.addAttribute("error", "The files of that dry run are no longer kept (an hour at most, one apply): "
                    + "choose them and run the dry run again.");
            return "estate/import";
        }
        model.addAttribute("report", estateImport.run(files.get(), false, progress.track(progressId, user.getName())));
        return "estate/import";
    }

    /** Uploads by field name: the file's enum name in any case, or its file name ({@code vm-wwpns.csv}). */
    static Map<EstateImport.File, String> read(Map<String, MultipartFile> uploads) throws IOException {
        Map<EstateImport.File, String> files = new LinkedHashMap<>();
        for (Map.Entry<String, MultipartFile> upload : uploads.entrySet()) {
            for (EstateImport.File file : EstateImport.File.values()) {
                String field = upload.getKey();
                if (field.equalsIgnoreCase(file.name()) || field.equalsIgnoreCase(file.fileName)
                        || field.equalsIgnoreCase(file.fileName.replace(".csv", ""))) {
                    if (!upload.getValue().isEmpty()) {
                        files.put(file, new String(upload.getValue().getBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return files;
    }

}
