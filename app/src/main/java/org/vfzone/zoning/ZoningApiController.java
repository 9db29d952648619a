package org.vfzone.zoning;

import java.net.URI;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.connection.ConnectionTest;
import org.vfzone.logins.LoginQueries;
import org.vfzone.system.Paging;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.WwnFields;

/** JSON API of storage access and the zoning change workflow. Pushes run synchronously here. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Zoning", description = "Storage access, plans (whole fabric, scoped, per VM, bulk), change sets, live zoning, hygiene")
@RequestMapping("/api")
class ZoningApiController {

    private final StorageAccessService access;
    private final ChangeSetService changeSets;
    private final ChangeSetPush pushes;

    private final LiveZoning liveZoning;
    private final ZoneHygiene hygiene;
    private final VmBulkActions bulk;

    ZoningApiController(ChangeSetPush pushes, StorageAccessService access, ChangeSetService changeSets, LiveZoning liveZoning,
                        ZoneHygiene hygiene, VmBulkActions bulk, ZoneAdoption adoption, MigrationCheck migration,
                        Clock clock, ZoningHistory history, ConnectionTest connectionTest,
                        LoginQueries logins) {
        this.pushes = pushes;
        this.logins = logins;
        this.connectionTest = connectionTest;
        this.history = history;
        this.clock = clock;
        this.migration = migration;
        this.adoption = adoption;
        this.bulk = bulk;
        this.liveZoning = liveZoning;
        this.hygiene = hygiene;
        this.access = access;
        this.changeSets = changeSets;
    }

    record AccessDto(long id, long vmId, long arrayId, String arrayName, String grantedBy, Instant grantedAt) {
        static AccessDto of(StorageAccessService.Grant a) {
            return new AccessDto(a.id(), a.vmId(), a.arrayId(), a.arrayName(), a.grantedBy(), a.grantedAt());
        }
    }

    record GrantRequest(@NotNull Long arrayId) {
    }

    record ChangeSetDto(long id, long fabricId, String fabricName, ChangeSetStatus status, ChangeSet.Outcome outcome,
                        String config, String stateToken, String createdBy, Instant createdAt, String approvedBy,
                        String pushedBy, Instant pushStartedAt, Instant finishedAt, String resultMessage,
                        String summary, String scope, List<ZonePlanner.ReviewRow> rows, List<String> warnings,
                        List<String> requests, String reason, String ticket, UUID planBatch,
                        Instant windowStart, Instant windowEnd, boolean pushInWindow) {
    }

    /** Why a change is planned; required where {@code vfzone.changes.reason-required} is set. */
    record ReasonRequest(String reason, String ticket) {
        ChangeReason reasonOf() {
            return ChangeReason.of(reason, ticket);
        }
    }

    /** An optional change window (UTC instants) for an approval, and whether vfzone pushes when it opens. */
    record ApproveRequest(Instant windowStart, Instant windowEnd, Boolean pushWhenOpen) {
    }

    @GetMapping("/vms/{id}/access")
    List<AccessDto> accessOf(@PathVariable long id) {
        return access.of(id).stream().map(AccessDto::of).toList();
    }

    @PostMapping("/vms/{id}/access")
    ResponseEntity<AccessDto> grant(@PathVariable long id, @Valid @RequestBody GrantRequest request, Principal user) {
        StorageAccessService.Grant granted = access.grant(id, request.arrayId(), user.getName());
        return ResponseEntity.created(URI.create("/api/vms/" + id + "/access")).body(AccessDto.of(granted));
    }

    @DeleteMapping("/vms/{id}/access/{accessId}")
    ResponseEntity<Void> revoke(@PathVariable long id, @PathVariable long accessId, Principal user) {
        access.revoke(id, accessId, user.getName());
        return ResponseEntity.noContent().build();
    }

    private final ZoneAdoption adoption;
    private final MigrationCheck migration;

    /** Can the VM move to this host with its storage intact? Each check with pass/fail and the fix. */
    @GetMapping("/vms/{id}/migration-check")
    MigrationCheck.Result migrationCheck(@PathVariable long id, @RequestParam("host") long hostId) {
        return migration.check(id, hostId);
    }

    record MoveRequest(@NotNull Long hostId) {
    }

    /** Moves the VM (its VFs to the destination) after a passing check; 409 naming the failing checks otherwise. */
    @PostMapping("/vms/{id}/move")
    MigrationCheck.Moved move(@PathVariable long id, @Valid @RequestBody MoveRequest request, Principal user) {
        return migration.move(id, request.hostId(), user.getName());
    }

    /** Zones on the switch (made before vfzone) that hold one known VM's WWPN and known target ports. */
    @GetMapping("/fabrics/{id}/adoption-proposals")
    List<ZoneAdoption.Proposal> adoptionProposals(@PathVariable long id) {
        return adoption.proposals(id);
    }

    record AdoptRequest(@NotEmpty
                        @Size(max = 10_000) List<String> zones) {
    }

    record AdoptResult(int adopted) {
    }

    /** Adopts proposed zones: recorded as vfzone's and the VMs granted their arrays; nothing is sent to the switch. */
    @PostMapping("/fabrics/{id}/adopt")
    AdoptResult adopt(@PathVariable long id, @Valid @RequestBody AdoptRequest request, Principal user) {
        return new AdoptResult(adoption.adopt(id, request.zones(), user.getName()));
    }

    /** Which VMs' and arrays' zones a plan covers; both empty (or no body): the whole fabric. */
    record PlanRequest(@Size(max = 10_000) Set<Long> vmIds,
                       @Size(max = 10_000) Set<Long> arrayIds,
                       String reason, String ticket) {
    }

    /** Plans the fabric, or only the zones of the VMs and arrays in the body; 204 when it already matches. */
    @PostMapping("/fabrics/{id}/plan")
    ResponseEntity<ChangeSetDto> plan(@PathVariable long id,
                                      @Valid @RequestBody(required = false) PlanRequest request, Principal user) {
        ChangeSetService.PlanScope scope = request == null ? ChangeSetService.PlanScope.WHOLE_FABRIC
                : new ChangeSetService.PlanScope(request.vmIds(), request.arrayIds());
        ChangeReason why = request == null ? ChangeReason.NONE : ChangeReason.of(request.reason(), request.ticket());
        return changeSets.plan(id, scope, user.getName(), why, null)
                .map(cs -> ResponseEntity.created(URI.create("/api/changes/" + cs.getId())).body(dto(cs)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    /**
     * Plans every fabric the VM has a WWPN pair on, each scoped to this VM: one change set per fabric that needs a
     * change, and per fabric whether it needed none or could not be read.
     */
    @PostMapping("/vms/{id}/plan")
    List<ChangeSetService.FabricPlan> planVm(@PathVariable long id,
                                             @RequestBody(required = false) ReasonRequest request, Principal user) {
        return changeSets.planVm(id, user.getName(), request == null ? ChangeReason.NONE : request.reasonOf());
    }

    /** Change sets newest first; {@code status} and {@code fabric} (an id) narrow the list. */
    /** The fabric's zoning as the switch holds it, one page of zones matching {@code q}. */
    @GetMapping("/fabrics/{id}/live-zoning")
    LiveZoning.View liveZoning(@PathVariable long id, @RequestParam(defaultValue = "") String q,
                               @RequestParam(defaultValue = "0") int page,
                               @RequestParam(defaultValue = "100") int size) {
        var paging = Paging.of(page, size, 1000);
        return liveZoning.view(id, q, paging.getPageNumber(), paging.getPageSize());
    }

    /** Reads the switch again on the next view instead of the read kept for a minute. */
    @PostMapping("/fabrics/{id}/live-zoning/refresh")
    ResponseEntity<Void> refreshLiveZoning(@PathVariable long id) {
        liveZoning.refresh(id);
        return ResponseEntity.noContent().build();
    }

    record BulkRequest(VmBulkActions.Action action,
                       @Size(max = VmBulkActions.MAX_VMS) Set<Long> vmIds,
                       Long poolId, Long arrayId, String reason, String ticket) {
    }

    /** One action (ALLOCATE, GRANT or PLAN) on many VMs; what happened to each VM (or fabric, for PLAN). */
    @PostMapping("/vms/bulk")
    List<VmBulkActions.Outcome> bulk(@Valid @RequestBody BulkRequest request, Principal user) {
        return bulk.apply(request.action(), request.vmIds(), request.poolId(), request.arrayId(), user.getName(),
                request.action() == VmBulkActions.Action.PLAN ? ChangeReason.of(request.reason(), request.ticket())
                        : ChangeReason.NONE);
    }

    /** What to tidy on the fabric: findings from its zoning as the switch holds it and vfzone's records. */
    @GetMapping("/fabrics/{id}/hygiene")
    ZoneHygiene.Report hygiene(@PathVariable long id) {
        return hygiene.check(id);
    }

    /** Every zone on every fabric that holds this WWN (any notation), directly or through an alias. */
    @GetMapping("/wwns/{wwn}/zones")
    LiveZoning.WwnZones zonesOfWwn(@PathVariable String wwn) {
        return liveZoning.zonesWith(WwnFields.parse(wwn, "wwn"));
    }

    /** Where a WWPN (any notation) is logged in, per discovered fabric: FCID, switch port, when last seen. */
    @GetMapping("/wwns/{wwn}/logins")
    List<LoginQueries.WhereLoggedIn> loginsOfWwn(@PathVariable String wwn) {
        return logins.whereLoggedIn(WwnFields.parse(wwn, "wwn"));
    }

    @GetMapping("/changes")
    List<ChangeSetDto> list(@RequestParam(required = false) ChangeSetStatus status,
                            @RequestParam(name = "fabric", required = false) Long fabricId,
                            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                            @RequestParam(defaultValue = "created,desc") String sort,
                            @RequestParam(required = false) String awaiting,
                            @RequestParam(required = false) ChangeSet.Outcome outcome,
                            @RequestParam(defaultValue = "false") boolean attention, Principal user) {
        var paging = Paging.of(page, size, 200, ChangeSetService.sort(sort));
        if (awaiting != null && !awaiting.equals("me")) {
            throw RuleViolation.invalid("awaiting", "the only value is \"me\"");
        }
        return (awaiting != null ? changeSets.awaitingApprovalBy(user.getName(), paging)
                : changeSets.search(status, fabricId, outcome, attention, paging)).map(this::dto).getContent();
    }

    @GetMapping("/changes/{id}")
    ChangeSetDto get(@PathVariable long id) {
        return dto(changeSets.get(id));
    }

    @PostMapping("/changes/{id}/approve")
    ChangeSetDto approve(@PathVariable long id, @RequestBody(required = false) ApproveRequest request,
                         Principal user) {
        return dto(changeSets.approve(id, user.getName(), window(request)));
    }

    /**
     * Approves every planned change set made by the same plan as this one (one per fabric) in one action: all of
     * them, or none with every reason (409).
     */
    @PostMapping("/changes/{id}/approve-batch")
    List<ChangeSetDto> approveBatch(@PathVariable long id, @RequestBody(required = false) ApproveRequest request,
                                    Principal user) {
        return changeSets.approveBatch(id, user.getName(), window(request)).stream().map(this::dto).toList();
    }

    private final Clock clock;
    private final ZoningHistory history;
    private final ConnectionTest connectionTest;
    private final LoginQueries logins;

    private ChangeSetService.ApprovalWindow window(ApproveRequest request) {
        return request == null ? ChangeSetService.ApprovalWindow.NONE : ChangeSetService.ApprovalWindow.of(
                request.windowStart(), request.windowEnd(), Boolean.TRUE.equals(request.pushWhenOpen()), clock.instant());
    }

    /** Plans a stale, failed or cancelled change set again with its scope: 201 with the new one, 204 if none is needed. */
    @PostMapping("/changes/{id}/replan")
    ResponseEntity<ChangeSetDto> replan(@PathVariable long id, Principal user) {
        return changeSets.replan(id, user.getName())
                .map(cs -> ResponseEntity.created(URI.create("/api/changes/"
                        + cs.getId())).body(dto(cs)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/changes/{id}/cancel")
    ChangeSetDto cancel(@PathVariable long id, Principal user) {
        return dto(changeSets.cancel(id, user.getName()));
    }

    /** Pushes and verifies; answers when the switch conversation is over. */
    @PostMapping("/changes/{id}/push")
    ChangeSetDto push(@PathVariable long id, Principal user) {
        return dto(pushes.pushApproved(id, user.getName(), true));
    }

    /**
     * Ends a change set stuck in PUSHING (its node stopped, or it has run too long) by reading the fabric back;
     * ADMIN only.
     */
    @PostMapping("/changes/{id}/resolve")
    ChangeSetDto resolve(@PathVariable long id, Principal user) {
        return dto(pushes.resolveByReadBack(id, user.getName(), false));
    }

    /**
     * Plans the reverse of a pushed change set (201 with the new change set to review; 204 when the fabric already
     * is as it was). Where a later push touched the same objects, the warnings say which.
     */
    @PostMapping("/changes/{id}/undo")
    ResponseEntity<ChangeSetDto> undo(@PathVariable long id, @RequestBody(required = false) ReasonRequest request,
                                      Principal user) {
        return changeSets.undo(id, user.getName(), request == null ? ChangeReason.NONE : request.reasonOf())
                .map(cs -> ResponseEntity.created(URI.create("/api/changes/" + cs.getId())).body(dto(cs)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    /**
     * Tests the fabric's saved connection step by step: reach the address, TLS and pin, sign in (firmware), the
     * virtual fabric or VSAN, read the zoning. Nothing is written; the password is never in the answer.
     */
    @PostMapping("/fabrics/{id}/test-connection")
    ConnectionTest.Result testConnection(@PathVariable long id) {
        return connectionTest.test(id);
    }

    /**
     * Tests connection settings before they are saved; with {@code fabricId} and no password, the fabric's stored
     * password is used for the address it was stored for only.
     */
    @PostMapping("/fabrics/test-connection")
    ConnectionTest.Result testSettings(@RequestBody ConnectionTest.Settings settings,
                                       @RequestParam(required = false) Long fabricId) {
        return connectionTest.test(settings, fabricId);
    }

    /** The fabric's zoning kept before and after each push, newest first (without the zoning itself). */
    @GetMapping("/fabrics/{id}/zoning-history")
    List<ZoningHistory.Snapshot> zoningHistory(@PathVariable long id,
                                               @RequestParam(defaultValue = "100") int limit) {
        return history.of(id, Math.max(1, Math.min(limit, 500)));
    }

    /** One kept zoning as read, with the names of the zones and aliases that were vfzone's then. */
    @GetMapping("/fabrics/{id}/zoning-history/{snapshotId}")
    ZoningHistoryController.SnapshotDocument zoningSnapshot(@PathVariable long id, @PathVariable long snapshotId) {
        return ZoningHistoryController.SnapshotDocument.of(history.content(id, snapshotId));
    }

    /** The vendor CLI that recreates vfzone's zones and aliases of a kept zoning. */
    @GetMapping(value = "/fabrics/{id}/zoning-history/{snapshotId}/cli", produces = "text/plain")
    String zoningSnapshotCli(@PathVariable long id, @PathVariable long snapshotId) {
        return String.join("\n", history.recreateScript(id, snapshotId)) + "\n";
    }

    @GetMapping(value = "/changes/{id}/script", produces = "text/plain")
    String script(@PathVariable long id) {
        return String.join("\n", changeSets.stored(changeSets.get(id)).cliScript()) + "\n";
    }

    private ChangeSetDto dto(ChangeSet cs) {
        StoredPlan stored = changeSets.stored(cs);
        return new ChangeSetDto(cs.getId(), cs.getFabricId(), changeSets.fabricName(cs), cs.getStatus(),
                cs.getOutcome(), cs.getConfigName(), cs.getStateToken(), cs.getCreatedBy(), cs.getCreatedAt(),
                cs.getApprovedBy(), cs.getPushedBy(), cs.getPushStartedAt(), cs.getFinishedAt(), cs.getResultMessage(),
                changeSets.summaryOf(cs), changeSets.scopeOf(stored), stored.plan().rows(), stored.plan().warnings(),
                stored.preview(), cs.getReason(), cs.getTicket(), cs.getPlanBatch(), cs.getWindowStart(),
                cs.getWindowEnd(), cs.isPushInWindow());
    }
}
