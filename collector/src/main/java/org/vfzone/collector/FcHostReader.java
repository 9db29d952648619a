package org.vfzone.collector;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code <root>/class/fc_host/host*}: the WWPN from {@code port_name}, {@code port_state}, and the counters in
 * {@code statistics/} ({@code 0x%llx} hex). Every file is optional — drivers leave some out, and a statistics read
 * fails with ENOENT while the link is down — so a missing or unreadable file is logged once and skipped.
 */
public class FcHostReader {

    private static final Logger log = LoggerFactory.getLogger(FcHostReader.class);

    private final Path root;
    private final Set<String> reported = new HashSet<>();

    public FcHostReader(Path sysfsRoot) {
        this.root = sysfsRoot;
    }

    /** One snapshot per fc_host: field name → value as sent to vfzone (counters in their sysfs hex form). */
    public List<Map<String, String>> read(Instant now) {
        List<Map<String, String>> snapshots = new ArrayList<>();
        Path hosts = root.resolve("class").resolve("fc_host");
        if (!Files.isDirectory(hosts)) {
            once(hosts.toString(), "no fc_host class at " + hosts + ": no FC HBA driver loaded?");
            return snapshots;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(hosts, "host*")) {
            for (Path host : dirs) {
                String portName = readFile(host.resolve("port_name"));
                if (portName == null) {
                    continue;
                }
                String wwpn = portName.startsWith("0x") ? portName.substring(2) : portName;
                if (wwpn.matches("^f+$")) {
                    continue; // -1: the transport's "not set"
                }
                Map<String, String> snapshot = new LinkedHashMap<>();
                snapshot.put("wwpn", String.format("%16s", wwpn).replace(' ', '0'));
                snapshot.put("timestamp", now.toString());
                for (FcCounter fcCounter : FcCounter.ALL) {
                    String counter = fcCounter.fieldName();
                    String value = readFile(host.resolve("statistics").resolve(counter));
                    if (value != null && isCounter(value)) {
                        snapshot.put(counter, value);
                    }
                }
                String state = readFile(host.resolve("port_state"));
                if (state != null) {
                    snapshot.put("port_state", state);
                }
                snapshots.add(snapshot);
            }
        } catch (IOException e) {
            once(hosts.toString() + ":list", "cannot list " + hosts + ": " + e.getMessage());
        }
        return snapshots;
    }

    private String readFile(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            once(file.toString(), "cannot read " + file + " (" + e.getClass().getSimpleName() + "); skipping it");
            return null;
        }
    }

    private static boolean isCounter(String value) {
        try {
            BigInteger parsed = value.startsWith("0x") ? new BigInteger(value.substring(2), 16) : new BigInteger(value);
            return parsed.signum() >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void once(String key, String message) {
        if (reported.add(key)) {
            log.warn(message);
        }
    }
}
