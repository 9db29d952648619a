package org.vfzone.estate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.IntegrationTest;

/** The UI import keeps the dry run's files on the server: the apply sends only their id, whatever their size. */
class ImportUploadTest extends IntegrationTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLargeImportIsAppliedFromTheFilesKeptAtTheDryRunOnceAndOnlyByItsUploader() throws Exception {
        String prefix = unique("bulk");
        StringBuilder hosts = new StringBuilder("Host,Cluster,Hypervisor\n");
        // the apply request carries only the id, so the size of the files no longer matters to it
        for (int i = 0; i < 500; i++) {
            hosts.append(prefix).append("-esx-").append(i).append(",cluster-").append(i % 50).append(",KVM\n");
        }
        MockMultipartFile file = new MockMultipartFile("HOSTS", "hosts.csv", "text/csv",
                hosts.toString().getBytes(StandardCharsets.UTF_8));
        String page = mvc.perform(multipart("/import/preview").file(file).with(user("olga").roles("OPERATOR"))
                .with(csrf())).andReturn().getResponse().getContentAsString();
        Matcher id = Pattern.compile("name=\"uploadId\" value=\"([0-9a-f-]{36})\"").matcher(page);
        assertThat(id.find()).as("the apply form carries an upload id").isTrue();
        assertThat(page).doesNotContain(prefix + "-esx-1,");

        String stranger = mvc.perform(post("/import/apply").param("uploadId", id.group(1))
                .with(user("mallory").roles("OPERATOR")).with(csrf())).andReturn().getResponse().getContentAsString();
        assertThat(stranger).contains("no longer kept");

        String applied = mvc.perform(post("/import/apply").param("uploadId", id.group(1))
                .with(user("olga").roles("OPERATOR")).with(csrf())).andReturn().getResponse().getContentAsString();
        assertThat(applied).contains("Imported in one transaction.");
        assertThat(jdbc.queryForObject("select count(*) from host where name like ?", Long.class, prefix + "-esx-%"))
                .isEqualTo(500L);

        String again = mvc.perform(post("/import/apply").param("uploadId", id.group(1))
                .with(user("olga").roles("OPERATOR")).with(csrf())).andReturn().getResponse().getContentAsString();
        assertThat(again).contains("no longer kept");
    }
}
