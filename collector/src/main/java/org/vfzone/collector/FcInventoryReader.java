package org.vfzone.collector;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's FC inventory from sysfs, for vfzone's discovery: each {@code fc_host} port with the PCI address of its
 * function (from the device path), WWNN/WWPN, type, state, speed, fabric name and symbolic name, its NPIV capacity;
 * the SR-IOV state of that PCI function ({@code sriov_totalvfs}, {@code sriov_numvfs} and the {@code virtfn*}
 * links to its VFs); and the NPIV vports of {@code fc_vports}. Each attribute is read on its own: one a driver does
 * not provide, or that fails to read, is left out and the rest is reported.
 */
public class FcInventoryReader {

    private static final Logger log = LoggerFactory.getLogger(FcInventoryReader.class);
    static final Pattern PCI_ADDRESS = Pattern.compile("^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]$");
    private static final Pattern VPORT = Pattern.compile("^vport-(\\d+):\\d+-\\d+$");

    private final Path root;
    private final Set<String> reported = new HashSet<>();

    public FcInventoryReader(Path sysfsRoot) {
        this.root = sysfsRoot;
    }

    /** The ports of this host, by fc_host name, each a map of attribute → value. */
    public List<Map<String, Object>> read() {
        List<Map<String, Object>> ports = new ArrayList<>();
        Path hosts = root.resolve("class").resolve("fc_host");
        if (!Files.isDirectory(hosts)) {
            return ports;
        }
        Map<String, List<Map<String, Object>>> vports = vportsByHost();
        Map<String, Path> sorted = new TreeMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(hosts, "host*")) {
            dirs.forEach(dir -> sorted.put(dir.getFileName().toString(), dir));
        } catch (IOException e) {
            once(hosts.toString(), "cannot list " + hosts + ": " + e.getMessage());
        }
        for (Map.Entry<String, Path> entry : sorted.entrySet()) {
            Path host = entry.getValue();
            Map<String, Object> port = new LinkedHashMap<>();
            port.put("fcHost", entry.getKey());
            put(port, "wwpn", wwn(read(host.resolve("port_name"))));
            put(port, "wwnn", wwn(read(host.resolve("node_name"))));
            put(port, "portType", read(host.resolve("port_type")));
            put(port, "portState", read(host.resolve("port_state")));
            put(port, "speed", read(host.resolve("speed")));
            put(port, "fabricName", wwn(read(host.resolve("fabric_name"))));
            put(port, "symbolicName", read(host.resolve("symbolic_name")));
            put(port, "maxNpivVports", number(read(host.resolve("max_npiv_vports"))));
            put(port, "npivVportsInUse", number(read(host.resolve("npiv_vports_inuse"))));
            if (port.get("wwpn") == null) {
                continue; // a port without a WWPN cannot be matched to anything
            }
            String pci = pciAddressOf(host);
            put(port, "pciAddress", pci);
            if (pci != null) {
                Path function = root.resolve("bus").resolve("pci").resolve("devices").resolve(pci);
                put(port, "sriovTotalVfs", number(read(function.resolve("sriov_totalvfs"))));
                put(port, "sriovNumVfs", number(read(function.resolve("sriov_numvfs"))));
                List<String> vfs = virtualFunctions(function);
                if (!vfs.isEmpty()) {
                    port.put("vfs", vfs);
                }
            }
            String hostNumber = entry.getKey().substring("host".length());
            port.put("vports", vports.getOrDefault(hostNumber, List.of()));
            ports.add(port);
        }
        return ports;
    }

    /** The PCI function the fc_host sits on: the last PCI address in its device path. */
    private String pciAddressOf(Path host) {
        for (Path candidate : List.of(host, host.resolve("device"))) {
            try {
                Path real = candidate.toRealPath();
                for (int i = real.getNameCount() - 1; i >= 0; i--) {
                    String part = real.getName(i).toString();
                    if (PCI_ADDRESS.matcher(part).matches()) {
                        return part.toLowerCase(Locale.ROOT);
                    }
                }
            } catch (IOException e) {
                // no device link here; the other candidate may have one
            }
        }
        once(host + ":pci", "no PCI address in the device path of " + host);
        return null;
    }

    /** {@code virtfn0}, {@code virtfn1}… in order, each the PCI address its link points to. */
    private List<String> virtualFunctions(Path function) {
        Map<Integer, String> vfs = new TreeMap<>();
        try (DirectoryStream<Path> links = Files.newDirectoryStream(function, "virtfn*")) {
            for (Path link : links) {
                try {
                    int index = Integer.parseInt(link.getFileName().toString().substring("virtfn".length()));
                    String target = Files.readSymbolicLink(link).getFileName().toString();
                    if (PCI_ADDRESS.matcher(target).matches()) {
                        vfs.put(index, target.toLowerCase(Locale.ROOT));
                    }
                } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
                    once(link.toString(), "cannot read " + link + "; skipping it");
                }
            }
        } catch (IOException e) {
            // not an SR-IOV function, or sysfs without the PCI bus: no VFs to report
        }
        return new ArrayList<>(vfs.values());
    }

    private Map<String, List<Map<String, Object>>> vportsByHost() {
        Map<String, List<Map<String, Object>>> byHost = new TreeMap<>();
        Path vports = root.resolve("class").resolve("fc_vports");
        if (!Files.isDirectory(vports)) {
            return byHost;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(vports, "vport-*")) {
            for (Path dir : dirs) {
                Matcher m = VPORT.matcher(dir.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                Map<String, Object> vport = new LinkedHashMap<>();
                put(vport, "wwpn", wwn(read(dir.resolve("port_name"))));
                put(vport, "wwnn", wwn(read(dir.resolve("node_name"))));
                put(vport, "state", read(dir.resolve("vport_state")));
                if (vport.get("wwpn") != null) {
                    byHost.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(vport);
                }
            }
        } catch (IOException e) {
            once(vports.toString(), "cannot list " + vports + ": " + e.getMessage());
        }
        return byHost;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** {@code 0x21000024ff3dbc1a} → {@code 21000024ff3dbc1a}; "not set" (all ones or zero) → null. */
    static String wwn(String value) {
        if (value == null) {
            return null;
        }
        String hex = value.startsWith("0x") ? value.substring(2) : value;
        if (!hex.matches("^[0-9a-fA-F]{1,16}$") || hex.matches("^[fF]+$") || hex.matches("^0+$")) {
            return null;
        }
        return String.format("%16s", hex.toLowerCase(Locale.ROOT)).replace(' ', '0');
    }

    private static Integer number(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            once(file.toString(), "cannot read " + file + " (" + e.getClass().getSimpleName() + "); skipping it");
            return null;
        }
    }

    private void once(String key, String message) {
        if (reported.add(key)) {
            log.warn(message);
        }
    }
}
