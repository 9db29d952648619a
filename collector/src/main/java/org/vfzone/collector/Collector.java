package org.vfzone.collector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the HBA counters every interval and posts them to vfzone's ingest API as NDJSON with an API token. When
 * vfzone cannot be reached (or answers 5xx, 429, 401 or 403), the batch goes to a buffer directory, which holds at
 * most {@code maxBufferedBatches} files (the oldest are dropped first); buffered batches are resent, oldest first,
 * as soon as a send succeeds again. vfzone drops duplicates, so a batch sent twice does no harm.
 */
public class Collector {

    private static final JsonMapper JSON = JsonMapper.builder()
            .build();

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    /** @param hostName the name this host has in vfzone's inventory; null: no inventory is reported */
    public record Settings(URI server, String token, Path sysfsRoot, Duration interval, Path bufferDir,
                           int maxBufferedBatches, String hostName) {

        public Settings(URI server, String token, Path sysfsRoot, Duration interval, Path bufferDir,
                        int maxBufferedBatches) {
            this(server, token, sysfsRoot, interval, bufferDir, maxBufferedBatches, null);
        }
    }

    private final Settings settings;
    private final FcHostReader reader;
    private final FcInventoryReader inventory;
    private final FpinReader fpin;
    /** The FPIN counters vfzone last took; they change only when the fabric sends a notification. */
    private String reportedFpin;
    /** The last inventory vfzone accepted: it is sent again only when it changes. */
    private String reportedInventory;
    private final Random jitter;
    /** The start of the round being run: what a Retry-After counts from. */
    private Instant roundStart = Instant.EPOCH;
    /** A busy vfzone asked to be left alone until then: readings wait in the buffer. */
    private Instant quietUntil = Instant.EPOCH;
    /** How many readings vfzone asked for per request (Vfzone-Readings-Per-Request); 1 when it is not busy. */
    private int readingsPerRequest = 1;
    /** The most readings per request a server may ask for: an hour's worth at the shortest interval. */
    static final int MAX_READINGS_PER_REQUEST = 360;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Collector(Settings settings) {
        this(settings, new Random());
    }

    Collector(Settings settings, Random jitter) {
        this.jitter = jitter;
        this.settings = settings;
        this.reader = new FcHostReader(settings.sysfsRoot());
        this.inventory = new FcInventoryReader(settings.sysfsRoot());
        this.fpin = new FpinReader(settings.sysfsRoot());
    }

    /** Runs until interrupted. */
    public void run() throws InterruptedException {
        log.info("Collecting {} every {} s into {}", settings.sysfsRoot(), settings.interval().toSeconds(),
                settings.server());
        while (!Thread.currentThread().isInterrupted()) {
            collectOnce(Instant.now());
            Thread.sleep(settings.interval().toMillis());
        }
    }

    /** One round: read, send (or buffer), then drain the buffer while vfzone answers. */
    public void collectOnce(Instant now) {
        roundStart = now;
        List<Map<String, String>> snapshots = reader.read(now);
        StringBuilder ndjson = new StringBuilder();
        for (Map<String, String> snapshot : snapshots) {
            ndjson.append(JSON.writeValueAsString(snapshot)).append('\n');
        }
        if (now.isBefore(quietUntil)) {
            // vfzone is busy and said until when: the reading waits with the others, nothing is sent
            if (!snapshots.isEmpty()) {
                buffer(ndjson.toString(), now);
            }
            return;
        }
        reportInventoryIfChanged();
        reportFpinIfChanged(now);
        if (readingsPerRequest > 1) {
            // vfzone asked for several readings per request: they gather in the buffer and go together
            if (!snapshots.isEmpty()) {
                buffer(ndjson.toString(), now);
            }
            if (buffered().size() >= readingsPerRequest) {
                drain();
            }
            return;
        }
        if (!snapshots.isEmpty()) {
            if (!send(ndjson.toString())) {
                buffer(ndjson.toString(), now);
                return;
            }
        }
        drain();
    }

    /**
     * After a 503 or 429: the time vfzone asked for (Retry-After in seconds or as an HTTP date; one interval when it
     * gave none), plus up to half of it again at random, so many collectors told the same do not all return at once.
     */
    private void backOff(HttpResponse<String> response) {
        Duration asked = settings.interval();
        String header = response.headers().firstValue("Retry-After").orElse("").strip();
        try {
            if (header.matches("\\d{1,6}")) {
                asked = Duration.ofSeconds(Long.parseLong(header));
            } else if (!header.isEmpty()) {
                Duration until = Duration.between(roundStart,
                        ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                asked = until.isNegative() ? Duration.ZERO : until;
            }
        } catch (DateTimeParseException e) {
            log.debug("ignoring a Retry-After of '{}'", header);
        }
        long spread = asked.toMillis() / 2;
        Duration wait = asked.plusMillis(spread == 0 ? 0 : Math.floorMod(jitter.nextLong(), spread + 1));
        quietUntil = roundStart.plus(wait);
        log.warn("vfzone is busy (HTTP {}): readings wait in the buffer for {} s", response.statusCode(),
                wait.toSeconds());
    }

    /**
     * Sends the host's FC inventory (ports, SR-IOV, vports) at the first round and whenever it changes; vfzone turns
     * the differences from its inventory into proposals for an operator.
     */
    void reportInventoryIfChanged() {
        if (settings.hostName() == null || settings.hostName().isBlank()) {
            return;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("host", settings.hostName());
        report.put("ports", inventory.read());
        String body = JSON.writeValueAsString(report);
        if (body.equals(reportedInventory)) {
            return;
        }
        try {
            HttpResponse<String> response = post("/api/hosts/discovery", "application/json", body);
            if (response.statusCode() / 100 == 2) {
                reportedInventory = body;
            } else {
                log.warn("vfzone answered HTTP {} to the inventory report; it is sent again next round: {}",
                        response.statusCode(), response.body());
            }
        } catch (IOException e) {
            log.warn("cannot send the inventory report ({}); it is sent again next round", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends the hosts' FPIN and congestion-signal counters at the first round and whenever they change (the fabric
     * sent a notification): vfzone shows them beside each VM's switch ports. A host whose kernel keeps none sends
     * nothing.
     */
    void reportFpinIfChanged(Instant now) {
        List<Map<String, Object>> hosts = fpin.read();
        if (hosts.isEmpty()) {
            return;
        }
        String counters = JSON.writeValueAsString(hosts);
        if (counters.equals(reportedFpin)) {
            return;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("timestamp", now.toString());
        report.put("hosts", hosts);
        try {
            HttpResponse<String> response = post("/api/hosts/fpin", "application/json",
                    JSON.writeValueAsString(report));
            if (response.statusCode() / 100 == 2) {
                reportedFpin = counters;
            } else {
                log.warn("vfzone answered HTTP {} to the FPIN report; it is sent again next round: {}",
                        response.statusCode(), response.body());
            }
        } catch (IOException e) {
            log.warn("cannot send the FPIN report ({}); it is sent again next round", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** POSTs a body to vfzone with the collector's token, within 30 s. */
    private HttpResponse<String> post(String path, String contentType, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(settings.server().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + settings.token())
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** True when vfzone took the batch (or refused it for good: resending a malformed batch cannot help). */
    boolean send(String ndjson) {
        try {
            HttpResponse<String> response = post("/api/traffic/samples", "application/x-ndjson", ndjson);
            int status = response.statusCode();
            response.headers().firstValue("Vfzone-Readings-Per-Request").ifPresent(this::readingsPerRequest);
            if (status == 200) {
                if (response.body().contains("\"rejected\":[{")) {
                    log.warn("vfzone rejected part of a batch: {}", response.body());
                }
                return true;
            }
            if (status == 400 || status == 413 || status == 415) {
                log.error("vfzone refused a batch for good (HTTP {}): {}", status, response.body());
                return true;
            }
            if (status == 503 || status == 429) {
                backOff(response);
            } else {
                log.warn("vfzone answered HTTP {}; keeping the batch to resend", status);
            }
            return false;
        } catch (IOException e) {
            log.warn("cannot reach vfzone at {} ({}); keeping the batch to resend", settings.server(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void buffer(String ndjson, Instant now) {
        try {
            Files.createDirectories(settings.bufferDir());
            Files.writeString(settings.bufferDir().resolve("batch-" + now.toEpochMilli() + "-" + System.nanoTime()
                    + ".ndjson"), ndjson);
            List<Path> files = buffered();
            for (int i = 0; i < files.size() - settings.maxBufferedBatches(); i++) {
                Files.deleteIfExists(files.get(i));
                log.warn("buffer full ({} batches): dropped the oldest, {}", settings.maxBufferedBatches(),
                        files.get(i).getFileName());
            }
        } catch (IOException e) {
            log.error("cannot buffer a batch in {}: {}", settings.bufferDir(), e.getMessage());
        }
    }

    private void readingsPerRequest(String header) {
        try {
            int asked = Integer.parseInt(header.strip());
            readingsPerRequest = Math.max(1, Math.min(MAX_READINGS_PER_REQUEST, asked));
        } catch (NumberFormatException e) {
            log.debug("ignoring Vfzone-Readings-Per-Request '{}'", header);
        }
    }

    /** Sends the buffered readings, oldest first, as many per request as vfzone asks for, until one fails. */
    private void drain() {
        List<Path> files = buffered();
        for (int from = 0; from < files.size(); ) {
            int size = Math.max(1, readingsPerRequest);
            List<Path> group = files.subList(from, Math.min(files.size(), from + size));
            StringBuilder body = new StringBuilder();
            try {
                for (Path file : group) {
                    body.append(Files.readString(file));
                }
                if (!send(body.toString())) {
                    return;
                }
                for (Path file : group) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                log.error("cannot read or remove buffered batches from {}: {}", group.get(0), e.getMessage());
                return;
            }
            from += group.size();
        }
    }

    /** Buffered batch files, oldest first. */
    List<Path> buffered() {
        if (!Files.isDirectory(settings.bufferDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(settings.bufferDir())) {
            List<Path> sorted = new ArrayList<>(files.filter(f -> f.getFileName().toString().endsWith(".ndjson"))
                    .sorted().toList());
            return sorted;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The command line of {@code java -jar vfzone.jar collect}: picocli prints usage, help and errors. */
    @picocli.CommandLine.Command(name = "collect", mixinStandardHelpOptions = true,
            description = "Reads this host's fc_host statistics (physical ports, NPIV vports, SR-IOV VFs) every "
                    + "interval and posts them to vfzone; batches that cannot be sent are kept on disk and sent later.")
    static final class Options implements Callable<Integer> {
        @picocli.CommandLine.Option(names = "--server", required = true, paramLabel = "URL",
                description = "vfzone's address, e.g. https://vfzone.example.net")
        URI server;
        @picocli.CommandLine.Option(names = "--token-file", paramLabel = "FILE",
                description = "file holding the collector API token (else VFZONE_COLLECTOR_TOKEN)")
        Path tokenFile;
        @picocli.CommandLine.Option(names = "--sysfs-root", paramLabel = "DIR", defaultValue = "/sys",
                description = "sysfs root (default: ${DEFAULT-VALUE})")
        Path root;
        @picocli.CommandLine.Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
                description = "seconds between readings (default: ${DEFAULT-VALUE})")
        long interval;
        @picocli.CommandLine.Option(names = "--buffer-dir", paramLabel = "DIR",
                description = "where unsent batches wait (default: ~/.vfzone/collector-buffer)")
        Path buffer = Path.of(System.getProperty("user.home"), ".vfzone", "collector-buffer");
        @picocli.CommandLine.Option(names = "--max-buffered-batches", paramLabel = "N", defaultValue = "8640",
                description = "most batches kept while the server is unreachable (default: ${DEFAULT-VALUE})")
        int max;
        @picocli.CommandLine.Option(names = "--host-name", paramLabel = "NAME",
                description = "this host's name in vfzone, for the FC inventory report (default: the local host name;"
                        + " empty: no report)")
        String hostName;

        @Override
        public Integer call() throws Exception {
            String token = tokenFile != null ? Files.readString(tokenFile).strip() : System.getenv("VFZONE_COLLECTOR_TOKEN");
            if (token == null || token.isBlank()) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "a token is needed: --token-file=FILE or VFZONE_COLLECTOR_TOKEN");
            }
            if (interval < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--interval must be at least 1 second");
            }
            String name = hostName != null ? hostName : InetAddress.getLocalHost().getHostName();
            new Collector(new Settings(server, token, root, Duration.ofSeconds(interval), buffer, max, name)).run();
            return 0;
        }
    }

    /** Parses the command line ({@code collect} first) and runs; the exit code of picocli's conventions. */
    static int run(String... args) {
        String[] options = args.length > 0 && args[0].equals("collect")
                ? Arrays.copyOfRange(args, 1, args.length) : args;
        return new picocli.CommandLine(new Options()).execute(options);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
