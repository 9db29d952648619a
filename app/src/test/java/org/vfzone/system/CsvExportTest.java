package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class CsvExportTest {

    @Test
    void textThatASpreadsheetWouldRunIsNeutralisedNumbersStayNumbersAndEverythingIsQuotedAsNeeded() {
        String csv = new CsvExport("name", "value", "note")
                .row("=HYPERLINK(\"http://evil\",\"x\")", new BigDecimal("-12.500"), "+1")
                .row("@SUM(A1)", -3, "-cmd")
                .row("\tTAB", null, "plain, with comma")
                .toString();
        assertThat(csv.lines()).containsExactly(
                "name,value,note",
                "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",-12.500,'+1",
                "'@SUM(A1),-3,'-cmd",
                "'\tTAB,,\"plain, with comma\"");
    }
}
