package org.vfzone.estate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.vfzone.system.PageController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/**
 * Estate import: upload the CSV files, see the dry run (every change and every problem with file, line and
 * column), then apply the same files — all or nothing. The API does the same in one call with {@code dryRun}.
 */
@PageController
class EstateImportController {

    private final EstateImport estateImport;
    private final ImportUploads uploads;

    EstateImportController(EstateImport estateImport, ImportUploads uploads) {
        this.estateImport = estateImport;
        this.uploads = uploads;
    }

    @GetMapping("/import")
    String form(Model model) {
        model.addAttribute("files", EstateImport.File.values());
        return "estate/import";
    }

    /** The dry run of uploaded files; the files stay on the server for the apply step. */
    @PostMapping("/import/preview")
    String preview(@RequestParam Map<String, MultipartFile> uploads, java.security.Principal user, Model model)
            throws IOException {
        Map<EstateImport.File, String> files = read(uploads);
        EstateImport.Report report = estateImport.run(files, true);
        model.addAttribute("files", EstateImport.File.values());
        model.addAttribute("report", report);
        if (report.problems().isEmpty() && !files.isEmpty()) {
            model.addAttribute("uploadId", this.uploads.keep(files, user.getName()));
        }
        return "estate/import";
    }

    @PostMapping("/import/apply")
    String apply(@RequestParam String uploadId, java.security.Principal user, Model model) {
        model.addAttribute("files", EstateImport.File.values());
        java.util.UUID id;
        try {
            id = java.util.UUID.fromString(uploadId);
        } catch (IllegalArgumentException e) {
            id = null;
        }
        java.util.Optional<Map<EstateImport.File, String>> files = id == null ? java.util.Optional.empty()
                : uploads.take(id, user.getName());
        if (files.isEmpty()) {
            model.addAttribute("error", "The files of that dry run are no longer kept (an hour at most, one apply): "
                    + "choose them and run the dry run again.");
            return "estate/import";
        }
        model.addAttribute("report", estateImport.run(files.get(), false));
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
