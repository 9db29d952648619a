package org.vfzone.inventory;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;
import org.vfzone.wwn.Wwn;

/** A virtual machine with its own NPIV identity: one WWNN and, per fabric, an active/standby WWPN pair. */
@Entity
@Table(name = "vm")
public class Vm extends BaseEntity {

    private String name;
    private UUID uuid;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "host_id")
    private Host host;
    private String cluster;
    @Column(columnDefinition = "wwn")
    private Wwn wwnn;

    protected Vm() {
    }

    public Vm(String name, UUID uuid, Host host) {
        this.name = name;
        this.uuid = uuid;
        this.host = host;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public UUID getUuid() { return uuid; }
    public void setUuid(UUID uuid) { this.uuid = uuid; }
    public Host getHost() { return host; }
    void setHost(Host host) { this.host = host; }
    public String getCluster() { return cluster; }
    public void setCluster(String cluster) { this.cluster = cluster; }
    public Wwn getWwnn() { return wwnn; }
    void setWwnn(Wwn wwnn) { this.wwnn = wwnn; }
}
