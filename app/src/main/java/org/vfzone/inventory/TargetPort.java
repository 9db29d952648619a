package org.vfzone.inventory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;
import org.vfzone.wwn.Wwn;

/** One FC target port of a storage array, on one fabric. */
@Entity
@Table(name = "target_port")
public class TargetPort extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "array_id")
    private StorageArray array;
    private String name;
    @Column(columnDefinition = "wwn")
    private Wwn wwpn;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "fabric_id")
    private Fabric fabric;

    protected TargetPort() {
    }

    public TargetPort(StorageArray array) {
        this.array = array;
    }

    public StorageArray getArray() { return array; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Wwn getWwpn() { return wwpn; }
    public void setWwpn(Wwn wwpn) { this.wwpn = wwpn; }
    public Fabric getFabric() { return fabric; }
    public void setFabric(Fabric fabric) { this.fabric = fabric; }
}
