package org.vfzone.estate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.multipart.MultipartFile;

/**
 * Estate import: upload the CSV files, see the dry run (every change and every problem with file, line and
 * column), then apply the same files — all or nothing. The API does the same in one call with {@code dryRun}.
 */
@Controller
class EstateImportController {

    private final EstateImport estateImport;

    EstateImportController(EstateImport estateImport) {
        this.estateImport = estateImport;
    }

    @GetMapping("/import")
    String form(Model model) {
        model.addAttribute("files", EstateImport.File.values());
        return "estate/import";
    }

    /** The dry run of uploaded files; the page carries their text on to the apply step. */
    @PostMapping("/import/preview")
    String preview(@RequestParam Map<String, MultipartFile> uploads, Model model) throws IOException {
        Map<EstateImport.File, String> files = read(uploads);
        model.addAttribute("files", EstateImport.File.values());
        model.addAttribute("texts", byName(files));
        model.addAttribute("report", estateImport.run(files, true));
        return "estate/import";
    }

    @PostMapping("/import/apply")
    String apply(@RequestParam Map<String, String> params, Model model) {
        Map<EstateImport.File, String> files = new LinkedHashMap<>();
        for (EstateImport.File file : EstateImport.File.values()) {
            String text = params.get("text_" + file.name());
            if (text != null && !text.isBlank()) {
                files.put(file, text);
            }
        }
        model.addAttribute("files", EstateImport.File.values());
        model.addAttribute("texts", byName(files));
        model.addAttribute("report", estateImport.run(files, false));
        return "estate/import";
    }

    @PostMapping("/api/import")
    @ResponseBody
    ResponseEntity<EstateImport.Report> api(@RequestParam Map<String, MultipartFile> uploads,
                                            @RequestParam(defaultValue = "true") boolean dryRun) throws IOException {
        EstateImport.Report report = estateImport.run(read(uploads), dryRun);
        return ResponseEntity.status(report.problems().isEmpty() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY)
                .body(report);
    }

    /** Uploads by field name: the file's enum name in any case, or its file name ({@code vm-wwpns.csv}). */
    private static Map<EstateImport.File, String> read(Map<String, MultipartFile> uploads) throws IOException {
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

    private static Map<String, String> byName(Map<EstateImport.File, String> files) {
        Map<String, String> texts = new LinkedHashMap<>();
        files.forEach((file, text) -> texts.put(file.name(), text));
        return texts;
    }
}
