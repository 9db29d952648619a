package org.vfzone.estate;

import java.io.IOException;
import java.security.Principal;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** The estate import on the API: multipart files by name, a dry run unless {@code dryRun=false}. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Estate import", description = "Hosts, adapters, VMs, arrays and VF assignments from CSV files")
class EstateImportApiController {

    private final EstateImport estateImport;
    private final ImportProgress progress;

    EstateImportApiController(EstateImport estateImport, ImportProgress progress) {
        this.estateImport = estateImport;
        this.progress = progress;
    }

    /**
     * How far an import is that was started with {@code progressId}: rows checked of all rows, the file, whether it
     * finished. 404 until it starts, and for another user's import.
     */
    @GetMapping("/api/import/progress/{id}")
    ResponseEntity<ImportProgress.Status> progress(@PathVariable String id,
                                                   Principal user) {
        ImportProgress.Status status = progress.of(id, user.getName());
        return status == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(status);
    }

    /** A file's template: its header and example rows ({@code hosts.csv}, {@code vm-wwpns.csv}…). */
    @GetMapping("/api/import/templates/{fileName}")
    ResponseEntity<byte[]> template(@PathVariable String fileName)
            throws IOException {
        return EstateImportController.templateOf(fileName);
    }

    /**
     * 200 with the report, or 422 with every problem (file, line, column, reason); nothing applied then. With a
     * {@code progressId} (a UUID the client makes), {@code GET /api/import/progress/{progressId}} follows it.
     */
    @PostMapping("/api/import")
    ResponseEntity<EstateImport.Report> run(@RequestParam Map<String, MultipartFile> uploads,
                                            @RequestParam(defaultValue = "true") boolean dryRun,
                                            @RequestParam(required = false) String progressId,
                                            Principal user) throws IOException {
        EstateImport.Report report = estateImport.run(EstateImportController.read(uploads), dryRun,
                progress.track(progressId, user.getName()));
        return ResponseEntity.status(report.problems().isEmpty() ? HttpStatus.OK : HttpStatus.UNPROCESSABLE_ENTITY)
                .body(report);
    }
}
