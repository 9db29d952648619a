package org.vfzone.system;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * Rows in PostgreSQL's COPY text format, loaded on the current transaction's connection: the fastest way to put
 * many rows into a table, and the rows land (or roll back) with the rest of the transaction.
 */
public final class CopyRows {

    private final StringBuilder text = new StringBuilder();
    private int rows;

    /** Adds one row; null is SQL NULL, everything else its {@code toString()}. */
    public CopyRows row(Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                text.append('\t');
            }
            append(values[i]);
        }
        text.append('\n');
        rows++;
        return this;
    }

    public int rows() {
        return rows;
    }

    private void append(Object value) {
        if (value == null) {
            text.append("\\N");
        } else {
            escape(text, value.toString());
        }
    }

    /** Appends a value as COPY's text format needs it: backslash, tab, newline and carriage return escaped. */
    public static void escape(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }

    /** Copies the rows into {@code target}, a table name with its column list, e.g. {@code "host (name, cluster)"}. */
    public void into(DataSource dataSource, String target) {
        if (rows > 0) {
            copy(dataSource, target, text);
        }
    }

    /** Copies rows already in COPY's text format into {@code target} on the current transaction's connection. */
    public static void copy(DataSource dataSource, String target, CharSequence rows) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy " + target + " from stdin", new StringReader(rows.toString()));
        } catch (SQLException e) {
            // a constraint the rows break surfaces as Spring's exception for it, as it would from an INSERT
            DataAccessException translated =
                    new SQLStateSQLExceptionTranslator().translate("copy", null, e);
            throw translated != null ? translated
                    : new IllegalStateException("cannot copy rows into " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy rows into " + target + ": " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
