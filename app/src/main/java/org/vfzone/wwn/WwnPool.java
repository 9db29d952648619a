package org.vfzone.wwn;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;

/** A range of WWNs vfzone may hand out as NPIV identities. Ranges of different pools never overlap. */
@Entity
@Table(name = "wwn_pool")
public class WwnPool extends BaseEntity {

    private String name;
    private int naaType;
    @Column(columnDefinition = "wwn")
    private Wwn firstWwn;
    @Column(columnDefinition = "wwn")
    private Wwn lastWwn;
    private String oui;
    private String description;
    private long nextOffset;

    protected WwnPool() {
    }

    public WwnPool(String name, int naaType, Wwn firstWwn, Wwn lastWwn, String oui) {
        this.name = name;
        this.naaType = naaType;
        this.firstWwn = firstWwn;
        this.lastWwn = lastWwn;
        this.oui = oui;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public int getNaaType() { return naaType; }
    public Wwn getFirstWwn() { return firstWwn; }
    public Wwn getLastWwn() { return lastWwn; }
    public String getOui() { return oui; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }

    void setRange(int naaType, Wwn firstWwn, Wwn lastWwn, String oui) {
        this.naaType = naaType;
        this.firstWwn = firstWwn;
        this.lastWwn = lastWwn;
        this.oui = oui;
        this.nextOffset = 0;
    }

    long getNextOffset() { return nextOffset; }
    void setNextOffset(long nextOffset) { this.nextOffset = nextOffset; }

    /** Number of WWNs in the range. */
    public long getSize() {
        return lastWwn.minus(firstWwn) + 1;
    }

    public boolean contains(Wwn wwn) {
        return wwn.compareTo(firstWwn) >= 0 && wwn.compareTo(lastWwn) <= 0;
    }
}
