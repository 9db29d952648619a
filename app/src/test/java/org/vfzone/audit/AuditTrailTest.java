package org.vfzone.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.StringReader;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.IntegrationTest;

/** The audit trail beyond its newest page: paging, the same filters in the page, the CSV export and the API. */
class AuditTrailTest extends IntegrationTest {

    @Autowired
    AuditLog audit;
    @Autowired
    MockMvc mvc;

    @Test
    void aLongTrailPagesAndExportsWhatTheFilterSelects() throws Exception {
        String actor = unique("auditor");
        for (int i = 0; i < 130; i++) {
            audit.record(actor, "UPDATE", "vm", (long) i, "Changed VM number " + i, i == 7 ? "=cmd|' /C calc'!A0" : null);
        }
        var viewer = user("vera").roles("VIEWER");

        mvc.perform(get("/audit").param("actor", actor).with(viewer))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("130 events")))
                .andExpect(content().string(containsString("Page 1 of 2")))
                .andExpect(content().string(containsString("Changed VM number 129")));
        mvc.perform(get("/audit").param("actor", actor).param("page", "1").with(viewer))
                .andExpect(content().string(containsString("Page 2 of 2")))
                .andExpect(content().string(containsString("Changed VM number 0<")));

        String csv = mvc.perform(get("/audit.csv").param("actor", actor).param("text", "number 7").with(viewer))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Disposition", containsString("vfzone-audit.csv")))
                .andReturn().getResponse().getContentAsString();
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertThat(rows).extracting(r -> r.get("summary"))
                .containsExactly("Changed VM number 79", "Changed VM number 78", "Changed VM number 77",
                        "Changed VM number 76", "Changed VM number 75", "Changed VM number 74", "Changed VM number 73",
                        "Changed VM number 72", "Changed VM number 71", "Changed VM number 70", "Changed VM number 7");
        assertThat(rows.get(rows.size() - 1).get("detail")).as("a formula is not run by a spreadsheet")
                .startsWith("'=");

        mvc.perform(get("/api/audit").param("actor", actor).param("size", "1000").with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(130))
                .andExpect(jsonPath("$[0].summary").value("Changed VM number 129"));
    }
}
