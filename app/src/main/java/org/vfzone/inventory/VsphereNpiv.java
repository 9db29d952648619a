package org.vfzone.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vfzone.wwn.Wwn;

/**
 * How ESXi uses a VM's NPIV WWNs, as VMware documents it: at power-on the VM "uses each of these WWN pairs in
 * sequence to discover an access path", one virtual port on each physical HBA (at most four), and a vMotion opens
 * the same virtual ports on the destination. So the i-th port WWN logs in through the host's i-th HBA, and on every
 * host the VM runs on, the i-th HBA must be cabled to the fabric the i-th WWPN is zoned on. vfzone orders the WWPNs by
 * the host's HBAs (ESXi numbers them vmhba0, 1, … in PCI order): each HBA gets the next unused WWPN of its fabric,
 * active first, then standby; WWPNs no HBA uses follow.
 */
public final class VsphereNpiv {

    /** "Each virtual machine can have up to 4 virtual ports" (vSphere Virtual Machine Administration, NPIV). */
    public static final int MAX_VPORTS = 4;

    private VsphereNpiv() {
    }

    /** A VM's WWPN pair on one fabric. */
    public record FabricWwpns(long fabricId, String fabricName, Wwn active, Wwn standby) {
    }

    /** Position {@code index} (0-based): the HBA there (null beyond the host's HBAs) and the WWPN it logs in with. */
    public record Position(int index, Adapter hba, FabricWwpns fabric, Wwn wwpn) {
    }

    /** The WWPN list to configure, what each HBA logs in with, and what does not fit. */
    public record Order(List<Wwn> wwpns, List<Position> positions, List<String> problems) {
    }

    /** The host's physical HBAs in vmhba order: by PCI address (unknown addresses last, then by label). */
    public static List<Adapter> hbaOrder(List<Adapter> hostAdapters) {
        return hostAdapters.stream().sorted(Comparator.comparing((Adapter a) -> a.getPciAddress() == null
                        || a.getPciAddress().isBlank() ? "~" : a.getPciAddress())
                .thenComparing(Adapter::getLabel, Comparator.nullsLast(Comparator.naturalOrder()))).toList();
    }

    public static Order order(List<Adapter> hbasInOrder, List<FabricWwpns> fabrics) {
        Map<Long, List<Wwn>> unused = new LinkedHashMap<>();
        Map<Wwn, FabricWwpns> owner = new LinkedHashMap<>();
        for (FabricWwpns fabric : fabrics) {
            unused.put(fabric.fabricId(), new ArrayList<>(List.of(fabric.active(), fabric.standby())));
            owner.put(fabric.active(), fabric);
            owner.put(fabric.standby(), fabric);
        }
        List<Wwn> wwpns = new ArrayList<>();
        List<Position> positions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int index = 0;
        for (Adapter hba : hbasInOrder) {
            if (index == MAX_VPORTS) {
                break;
            }
            Long fabricId = hba.getFabric() == null ? null : hba.getFabric().getId();
            List<Wwn> ofFabric = fabricId == null ? null : unused.get(fabricId);
            Wwn wwpn;
            if (ofFabric != null && !ofFabric.isEmpty()) {
                wwpn = ofFabric.remove(0);
            } else {
                // keep the sequence aligned: this HBA takes a WWPN all the same, which is not zoned where it logs in
                wwpn = unused.values().stream().filter(l -> !l.isEmpty()).findFirst().map(l -> l.remove(0)).orElse(null);
                if (wwpn == null) {
                    break;
                }
                problems.add("HBA " + (index + 1) + " (" + hba.getLabel() + ") is on "
                        + (hba.getFabric() == null ? "no fabric" : "fabric " + hba.getFabric().getName())
                        + ", where the VM has no WWPN left: vSphere logs it in there with " + wwpn
                        + ", which is zoned on " + owner.get(wwpn).fabricName() + " only");
            }
            wwpns.add(wwpn);
            positions.add(new Position(index, hba, owner.get(wwpn), wwpn));
            index++;
        }
        for (List<Wwn> rest : unused.values()) {
            for (Wwn wwpn : rest) {
                positions.add(new Position(wwpns.size(), null, owner.get(wwpn), wwpn));
                wwpns.add(wwpn);
            }
        }
        for (FabricWwpns fabric : fabrics) {
            boolean used = positions.stream().anyMatch(p -> p.hba() != null && p.fabric() == fabric
                    && p.hba().getFabric() != null && p.hba().getFabric().getId() == fabric.fabricId());
            if (!used) {
                problems.add("no HBA of the host is cabled to " + fabric.fabricName() + " within the first "
                        + MAX_VPORTS + ": the VM has no path there on this host");
            }
        }
        return new Order(wwpns, positions, problems);
    }
}
