package org.vfzone.collector;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Fabric Performance Impact Notification (FPIN) and congestion-signal counters the kernel keeps per FC host
 * and per remote port (Linux 5.11 and later): {@code class/fc_host/hostN/statistics/fpin_*}, {@code cn_sig_warn},
 * {@code cn_sig_alarm}, and {@code class/fc_remote_ports/rport-N:B-R/statistics/fpin_*}, in their sysfs hex form. A
 * host whose kernel or driver keeps none reports nothing: that is normal, not an error.
 */
public class FpinReader {

    private static final Pattern RPORT = Pattern.compile("^rport-(\\d+):\\d+-\\d+$");
    private static final Pattern COUNTER = Pattern.compile("^(fpin_[a-z_]+|cn_sig_warn|cn_sig_alarm)$");

    private final Path root;

    public FpinReader(Path sysfsRoot) {
        this.root = sysfsRoot;
    }

    /**
     * Per FC host with FPIN counters: its WWPN, its counters, and its remote ports' (target WWPN and counters).
     * Ordered, so the same counters give the same report.
     */
    public List<Map<String, Object>> read() {
        Map<String, Map<String, Object>> byHost = new TreeMap<>();
        for (Path host : list(root.resolve("class").resolve("fc_host"), "host*")) {
            String wwpn = wwpn(host.resolve("port_name"));
            Map<String, String> counters = counters(host.resolve("statistics"));
            if (wwpn == null || counters.isEmpty()) {
                continue;
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("wwpn", wwpn);
            report.put("counters", counters);
            report.put("remotePorts", new ArrayList<Map<String, Object>>());
            byHost.put(host.getFileName().toString().substring("host".length()), report);
        }
        for (Path rport : list(root.resolve("class").resolve("fc_remote_ports"), "rport-*")) {
            Matcher m = RPORT.matcher(rport.getFileName().toString());
            Map<String, Object> host = m.matches() ? byHost.get(m.group(1)) : null;
            String wwpn = wwpn(rport.resolve("port_name"));
            Map<String, String> counters = counters(rport.resolve("statistics"));
            if (host == null || wwpn == null || counters.isEmpty()) {
                continue;
            }
            Map<String, Object> remote = new LinkedHashMap<>();
            remote.put("wwpn", wwpn);
            remote.put("counters", counters);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> remotes = (List<Map<String, Object>>) host.get("remotePorts");
            remotes.add(remote);
        }
        return new ArrayList<>(byHost.values());
    }

    private static List<Path> list(Path dir, String glob) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            entries.forEach(found::add);
        } catch (IOException e) {
            return found;
        }
        found.sort(null);
        return found;
    }

    /** The FPIN and congestion-signal counters present in a statistics directory, by file name. */
    private static Map<String, String> counters(Path statistics) {
        Map<String, String> counters = new TreeMap<>();
        for (Path file : list(statistics, "*")) {
            String name = file.getFileName().toString();
            if (!COUNTER.matcher(name).matches()) {
                continue;
            }
            try {
                String value = Files.readString(file).strip();
                if (value.matches("^0x[0-9a-fA-F]{1,16}$") || value.matches("^\\d{1,19}$")) {
                    counters.put(name, value);
                }
            } catch (IOException unreadable) {
                // a counter the driver does not fill fails to read: it is simply not reported
            }
        }
        return counters;
    }

    /** The WWPN in a {@code port_name} file, as the inventory reads it; null when unreadable or not set. */
    private static String wwpn(Path portName) {
        try {
            return FcInventoryReader.wwn(Files.readString(portName).strip());
        } catch (IOException e) {
            return null;
        }
    }
}
