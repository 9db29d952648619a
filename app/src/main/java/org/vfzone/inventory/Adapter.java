package org.vfzone.inventory;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Column;
import org.vfzone.system.BaseEntity;
import org.vfzone.wwn.Wwn;

/** A physical HBA/CNA port (SR-IOV physical function) in a host, cabled to one fabric. */
@Entity
@Table(name = "adapter")
public class Adapter extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "host_id")
    private Host host;
    @Enumerated(EnumType.STRING)
    private AdapterKind kind;
    private String vendor;
    private String model;
    private String pciAddress;
    @Column(columnDefinition = "wwn")
    private Wwn wwnn;
    @Column(columnDefinition = "wwn")
    private Wwn wwpn;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "fabric_id")
    private Fabric fabric;
    private int maxVfs;
    private int maxNpivVports;

    protected Adapter() {
    }

    public Adapter(Host host) {
        this.host = host;
    }

    public Host getHost() { return host; }
    public AdapterKind getKind() { return kind; }
    public void setKind(AdapterKind kind) { this.kind = kind; }
    public String getVendor() { return vendor; }
    public void setVendor(String vendor) { this.vendor = vendor; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    public String getPciAddress() { return pciAddress; }
    public void setPciAddress(String pciAddress) { this.pciAddress = pciAddress; }
    public Wwn getWwnn() { return wwnn; }
    public void setWwnn(Wwn wwnn) { this.wwnn = wwnn; }
    public Wwn getWwpn() { return wwpn; }
    public void setWwpn(Wwn wwpn) { this.wwpn = wwpn; }
    public Fabric getFabric() { return fabric; }
    public void setFabric(Fabric fabric) { this.fabric = fabric; }
    public int getMaxVfs() { return maxVfs; }
    public void setMaxVfs(int maxVfs) { this.maxVfs = maxVfs; }
    public int getMaxNpivVports() { return maxNpivVports; }
    public void setMaxNpivVports(int maxNpivVports) { this.maxNpivVports = maxNpivVports; }

    public String getLabel() {
        return vendor + " " + model + " @ " + pciAddress;
    }
}
