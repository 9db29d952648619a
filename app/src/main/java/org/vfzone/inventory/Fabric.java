package org.vfzone.inventory;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.system.BaseEntity;

/** One SAN fabric (or one VSAN / virtual fabric of a physical fabric) that vfzone zones. */
@Entity
@Table(name = "fabric")
public class Fabric extends BaseEntity {

    private String name;
    private String side;
    private String vendor;
    private Integer virtualFabricId;
    private String description;
    @Enumerated(EnumType.STRING)
    private ZoningPolicy zoningPolicy = ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET;
    private String zoneNameTemplate = "vfz_{vm}_{array}";
    private String defaultConfigName = "vfz_cfg";
    private boolean zoneHostHbas;
    private String aliasKind = ALIAS_KIND_DEVICE_ALIAS;

    /** MDS alias kinds: {@code device-alias} (fabric-wide) or {@code fcalias} (per VSAN, in the zone session). */
    public static final String ALIAS_KIND_DEVICE_ALIAS = "device-alias";
    public static final String ALIAS_KIND_FCALIAS = "fcalias";

    protected Fabric() {
    }

    public Fabric(String name, String side, FabricVendor vendor) {
        this.name = name;
        this.side = side;
        this.vendor = vendor.code();
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getSide() { return side; }
    public void setSide(String side) { this.side = side; }
    public FabricVendor getVendor() { return FabricVendor.fromCode(vendor).orElseThrow(); }
    public void setVendor(FabricVendor vendor) { this.vendor = vendor.code(); }
    public Integer getVirtualFabricId() { return virtualFabricId; }
    public void setVirtualFabricId(Integer virtualFabricId) { this.virtualFabricId = virtualFabricId; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }

    public ZoningPolicy getZoningPolicy() { return zoningPolicy; }
    public void setZoningPolicy(ZoningPolicy zoningPolicy) { this.zoningPolicy = zoningPolicy; }
    public String getZoneNameTemplate() { return zoneNameTemplate; }
    public void setZoneNameTemplate(String zoneNameTemplate) { this.zoneNameTemplate = zoneNameTemplate; }
    public String getDefaultConfigName() { return defaultConfigName; }
    public void setDefaultConfigName(String defaultConfigName) { this.defaultConfigName = defaultConfigName; }

    /** Also zone the physical HBA ports of the hosts a VM may run on (its host, or its cluster's hosts). */
    public boolean isZoneHostHbas() { return zoneHostHbas; }
    public void setZoneHostHbas(boolean zoneHostHbas) { this.zoneHostHbas = zoneHostHbas; }

    /** How vfzone names initiators and targets on a Cisco MDS fabric: device-alias or fcalias. */
    public String getAliasKind() { return aliasKind; }
    public void setAliasKind(String aliasKind) { this.aliasKind = aliasKind; }

    /** The literal part of the zone name template before its first placeholder: the mark of zones vfzone owns. */
    public String getOwnedPrefix() {
        int brace = zoneNameTemplate.indexOf('{');
        return brace < 0 ? zoneNameTemplate : zoneNameTemplate.substring(0, brace);
    }

    /** Short label for lists: "FAB-A (A)". */
    public String getLabel() {
        return name + " (" + side + ")";
    }
}
