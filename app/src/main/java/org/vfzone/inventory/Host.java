package org.vfzone.inventory;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;

/** A hypervisor host whose HBAs/CNAs expose SR-IOV virtual functions. */
@Entity
@Table(name = "host")
public class Host extends BaseEntity {

    private String name;
    private String cluster;
    @Enumerated(EnumType.STRING)
    private Hypervisor hypervisor;

    protected Host() {
    }

    public Host(String name, String cluster, Hypervisor hypervisor) {
        this.name = name;
        this.cluster = cluster;
        this.hypervisor = hypervisor;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getCluster() { return cluster; }
    public void setCluster(String cluster) { this.cluster = cluster; }
    public Hypervisor getHypervisor() { return hypervisor; }
    public void setHypervisor(Hypervisor hypervisor) { this.hypervisor = hypervisor; }
}
