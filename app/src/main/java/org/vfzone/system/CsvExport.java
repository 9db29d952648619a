package org.vfzone.system;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Every CSV vfzone exports: written by Commons CSV (quoting), and safe to open in a spreadsheet: a text cell that
 * starts with {@code = + - @}, a tab or a carriage return is prefixed with {@code '} so it is not run as a formula
 * (OWASP "CSV injection"). Numbers are written as numbers. Names come from switches and imports, so any cell may
 * carry such text.
 */
public final class CsvExport {

    private final StringWriter out = new StringWriter();
    private final CSVPrinter printer;

    public CsvExport(String... header) {
        try {
            printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header).get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CsvExport row(Object... cells) {
        List<Object> safe = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            // times to the second, in UTC: a spreadsheet reads them, and no one needs the microseconds
            Object value = cell instanceof Instant instant
                    ? instant.truncatedTo(ChronoUnit.SECONDS)
                    : cell instanceof OffsetDateTime time
                    ? time.toInstant().truncatedTo(ChronoUnit.SECONDS) : cell;
            safe.add(value == null || value instanceof Number ? value : neutralise(value.toString()));
        }
        try {
            printer.printRecord(safe);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    static String neutralise(String text) {
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }

    @Override
    public String toString() {
        try {
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
