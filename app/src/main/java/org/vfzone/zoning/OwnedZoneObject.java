package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.vfzone.fabric.Zone;

/** A zone or alias vfzone created on a fabric; only these (and names with the fabric's prefix) are ever changed. */
@Entity
@Table(name = "owned_zone_object")
public class OwnedZoneObject {

    public enum Kind { ZONE, ALIAS }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private Long fabricId;
    @Enumerated(EnumType.STRING)
    private Kind kind;
    private String name;
    private Long vmId;
    private Long arrayId;
    private String members;
    /** For a zone: its members as named on the switch (aliases or WWNs), targets of a peer zone as "target:name". */
    private String memberNames;

    protected OwnedZoneObject() {
    }

    OwnedZoneObject(Long fabricId, Kind kind, String name, Long vmId, Long arrayId, String members,
                    String memberNames) {
        this(fabricId, kind, name, vmId, arrayId, members);
        this.memberNames = memberNames;
    }

    OwnedZoneObject(Long fabricId, Kind kind, String name, Long vmId, Long arrayId, String members) {
        this.fabricId = fabricId;
        this.kind = kind;
        this.name = name;
        this.vmId = vmId;
        this.arrayId = arrayId;
        this.members = members;
    }

    public Long getFabricId() { return fabricId; }
    public Kind getKind() { return kind; }
    public String getName() { return name; }
    public Long getVmId() { return vmId; }
    public Long getArrayId() { return arrayId; }
    public String getMembers() { return members; }
    public String getMemberNames() { return memberNames; }

    /** The member names of {@code zone} as stored in {@link #getMemberNames()}. */
    static String memberNames(Zone zone) {
        List<String> names = new ArrayList<>(zone.members());
        zone.principals().forEach(principal -> names.add("target:" + principal));
        Collections.sort(names);
        return String.join(",", names);
    }
}
