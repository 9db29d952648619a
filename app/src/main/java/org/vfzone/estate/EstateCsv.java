package org.vfzone.estate;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.vfzone.estate.EstateImport.File;
import org.vfzone.estate.EstateImport.Problem;

/**
 * The estate's CSV files as rows: headers matched ignoring case and punctuation, every problem of a file found in
 * one pass (missing and unknown columns, rows of the wrong width, NUL characters), and the column a service's
 * field name stands for, so a problem points at the right cell.
 */
final class EstateCsv {

    private EstateCsv() {
    }

    /** A row of a file: its line number and its values by column. */
    record Row(File file, int line, Map<String, String> values) {
        String get(String column) {
            String value = values.get(column);
            return value == null || value.isBlank() ? null : value.strip();
        }
    }

    /**
     * The delimiter of a file: the one of comma, semicolon (spreadsheets in locales with a decimal comma) and tab
     * that the header line holds most of, outside quotes.
     */
    static char delimiter(String text) {
        String header = text.lines().filter(line -> !line.isBlank()).findFirst().orElse("");
        int commas = 0;
        int semicolons = 0;
        int tabs = 0;
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }
        return semicolons > commas && semicolons >= tabs ? ';' : tabs > commas ? '\t' : ',';
    }

    /**
     * The columns that name one object of a file (one host, one adapter port…), and other columns that must be
     * unique in it (a WWPN): a second row with the same values is a duplicate, whatever else it says.
     */
    static List<List<String>> uniqueKeys(File file) {
        return switch (file) {
            case HOSTS -> List.of(List.of("Host"));
            case ADAPTERS -> List.of(List.of("Host", "PCI Address"), List.of("WWPN"));
            case ARRAYS -> List.of(List.of("Array", "Port"), List.of("Port WWPN"));
            case VMS -> List.of(List.of("VM"), List.of("UUID"), List.of("WWNN"));
            case VM_WWPNS -> List.of(List.of("VM", "Fabric"), List.of("Active WWPN"), List.of("Standby WWPN"));
            case VFS -> List.of(List.of("Host", "PCI Address", "VF Index"));
        };
    }

    /** Flags each row that repeats an earlier row's key, naming that row's line; answers the repeating rows' lines. */
    private static Set<Integer> flagDuplicates(File file, List<Row> rows, List<Problem> problems) {
        Set<Integer> duplicates = new HashSet<>();
        for (List<String> key : uniqueKeys(file)) {
            Map<List<String>, Integer> firstLine = new HashMap<>();
            for (Row row : rows) {
                List<String> values = key.stream().map(column -> row.get(column) == null ? null : key(row.get(column)))
                        .toList();
                if (values.contains(null)) {
                    continue;
                }
                Integer earlier = firstLine.putIfAbsent(values, row.line());
                if (earlier != null && duplicates.add(row.line())) {
                    problems.add(new Problem(file.fileName, row.line(), key.get(0), "duplicates line " + earlier
                            + " (same " + String.join(" and ", key) + ")"));
                }
            }
        }
        return duplicates;
    }

    /** How many data rows a file holds (records after the header; quoted line breaks inside a value count once). */
    static long rowCount(String text) {
        String content = text.replace("\uFEFF", "");
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter(content)).setHeader()
                .setSkipHeaderRecord(true).setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(content), format)) {
            return parser.stream().count();
        } catch (IOException | UncheckedIOException | IllegalArgumentException
                 | IllegalStateException e) {
            return content.lines().filter(line -> !line.isBlank()).count() - 1;
        }
    }

    static List<Row> parse(File file, String text, List<Problem> problems) {
        List<Row> rows = new ArrayList<>();
        String content = text.replace("\uFEFF", "");
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter(content)).setHeader()
                .setSkipHeaderRecord(true).setTrim(true).setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true)
                .get();
        try (CSVParser parser = CSVParser.parse(new StringReader(content), format)) {
            Map<String, String> headerByKey = new LinkedHashMap<>();
            parser.getHeaderNames().forEach(h -> headerByKey.put(key(h), h));
            boolean headerComplete = true;
            for (String column : file.columns) {
                if (!headerByKey.containsKey(key(column)) && required(file, column)) {
                    problems.add(new Problem(file.fileName, 1, column, "the column is missing from the header"));
                    headerComplete = false;
                }
            }
            for (String header : parser.getHeaderNames()) {
                if (file.columns.stream().noneMatch(c -> key(c).equals(key(header)))) {
                    problems.add(new Problem(file.fileName, 1, header, "unknown column; expected "
                            + String.join(", ", file.columns)));
                }
            }
            if (!headerComplete) {
                return rows; // each row would only repeat that the column is missing
            }
            // each column's header in this file, found once rather than per row
            Map<String, String> headerOf = new LinkedHashMap<>();
            file.columns.forEach(column -> headerOf.put(column, headerByKey.get(key(column))));
            for (CSVRecord record : parser) {
                int line = (int) parser.getCurrentLineNumber();
                if (!record.isConsistent()) {
                    problems.add(new Problem(file.fileName, line, null, "has " + record.size()
                            + " values, the header has " + parser.getHeaderNames().size()));
                    continue;
                }
                Map<String, String> values = new LinkedHashMap<>();
                String withNul = null;
                for (String column : file.columns) {
                    String header = headerOf.get(column);
                    String value = header == null ? null : record.get(header);
                    if (value != null && value.indexOf('\0') >= 0) {
                        withNul = column;
                    }
                    values.put(column, value);
                }
                if (withNul != null) {
                    // no stored text may hold a NUL character: the line is refused, not the database's problem
                    problems.add(new Problem(file.fileName, line, withNul, "contains a NUL character"));
                    continue;
                }
                rows.add(new Row(file, line, values));
            }
            // a repeated row is reported once, as a duplicate, not again by the row checks
            Set<Integer> duplicates = flagDuplicates(file, rows, problems);
            rows.removeIf(row -> duplicates.contains(row.line()));
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            problems.add(new Problem(file.fileName, 1, null, "cannot be read as CSV: " + e.getMessage()));
        }
        return rows;
    }

    private static boolean required(File file, String column) {
        return switch (file) {
            case HOSTS -> column.equals("Host");
            case ADAPTERS -> !column.equals("Enabled VFs") && !column.equals("Fabric");
            case ARRAYS -> !column.equals("Model") && !column.equals("Serial");
            case VMS -> column.equals("VM") || column.equals("Host");
            case VM_WWPNS, VFS -> true;
        };
    }

    /** A header or value compared ignoring case and everything but letters a-z and digits (called per cell). */
    static String key(String column) {
        StringBuilder key = new StringBuilder(column.length());
        for (int i = 0; i < column.length(); i++) {
            char c = Character.toLowerCase(column.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                key.append(c);
            }
        }
        return key.toString();
    }

    /** The CSV column a service's field name stands for, so a problem points at the right cell. */
    static String column(File file, String field) {
        if (field == null) {
            return null;
        }
        Map<String, String> common = Map.ofEntries(Map.entry("name", switch (file) {
                    case HOSTS -> "Host";
                    case ARRAYS -> "Array";
                    case VMS -> "VM";
                    default -> "Name"; }),
                Map.entry("cluster", "Cluster"), Map.entry("hypervisor", "Hypervisor"), Map.entry("kind", "Kind"),
                Map.entry("vendor", "Vendor"), Map.entry("model", "Model"), Map.entry("serial", "Serial"),
                Map.entry("pciAddress", "PCI Address"), Map.entry("wwnn", "WWNN"),
                Map.entry("wwpn", file == File.ARRAYS ? "Port WWPN" : "WWPN"), Map.entry("fabricId", "Fabric"),
                Map.entry("maxVfs", "Max VFs"), Map.entry("maxNpivVports", "Max NPIV Vports"),
                Map.entry("enabledVfs", "Enabled VFs"), Map.entry("count", "Enabled VFs"), Map.entry("uuid", "UUID"),
                Map.entry("hostId", "Host"), Map.entry("vm", "VM"), Map.entry("activeWwpn", "Active WWPN"),
                Map.entry("standbyWwpn", "Standby WWPN"), Map.entry("vfId", "VF Index"),
                Map.entry("vfIndex", "VF Index"));
        return common.getOrDefault(field, field);
    }

    /** What a row is about, in the report's words. */
    static String describe(Row row) {
        return switch (row.file()) {
            case HOSTS -> "host " + row.get("Host");
            case ADAPTERS -> "adapter " + row.get("PCI Address") + " on " + row.get("Host");
            case ARRAYS -> "array " + row.get("Array") + " port " + row.get("Port");
            case VMS -> "VM " + row.get("VM");
            case VM_WWPNS -> "WWPN pair of " + row.get("VM") + " on " + row.get("Fabric");
            case VFS -> "VF " + row.get("VF Index") + " of " + row.get("PCI Address") + " on " + row.get("Host")
                    + " to " + row.get("VM");
        };
    }
}
