package org.vfzone.inventory;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;

/** A storage array whose FC target ports VMs are zoned to. */
@Entity
@Table(name = "storage_array")
public class StorageArray extends BaseEntity {

    private String name;
    private String vendor;
    private String model;
    private String serial;

    protected StorageArray() {
    }

    public StorageArray(String name, String vendor) {
        this.name = name;
        this.vendor = vendor;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getVendor() { return vendor; }
    public void setVendor(String vendor) { this.vendor = vendor; }
    public String getModel() { return model; }
    public void setModel(String model) { this.model = model; }
    public String getSerial() { return serial; }
    public void setSerial(String serial) { this.serial = serial; }
}
