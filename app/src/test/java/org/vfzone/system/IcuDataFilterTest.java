package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ICU's data library, filtered: the items kept are the library's own bytes, in a package ICU reads as before. */
class IcuDataFilterTest {

    private static byte[] library;

    @BeforeAll
    static void readTheLibrarysIcuData() throws IOException {
        try (TarArchiveInputStream tar = PostgresBinaries.tar(PostgresBinaries.resource(PostgresPacker.LIBRARY_X86))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile() && entry.getName().startsWith("lib/libicudata.so.")) {
                    library = tar.readAllBytes();
                    return;
                }
            }
        }
        throw new IllegalStateException("no ICU data library in the x86-64 archive");
    }

    @Test
    void keepsWhatPostgresqlUsesByteForByteAndDropsTheRest() throws IOException {
        byte[] filtered = IcuDataFilter.filter(library, name -> !IcuDataFilter.UNUSED.matcher(name).matches());

        List<String> all = IcuDataFilter.items(library);
        List<String> kept = IcuDataFilter.items(filtered);
        assertThat(kept).isEqualTo(all.stream().filter(name -> !IcuDataFilter.UNUSED.matcher(name).matches()).toList())
                .contains("coll/ucadata.icu", "coll/sv.res", "res_index.res", "lang/en.res", "region/en.res",
                        "brkitr/word.brk", "cnvalias.icu", "nfkc.nrm", "root.res")
                .doesNotContain("ibm-1047_P100-1995.cnv", "brkitr/cjdict.dict", "zone/de.res", "lang/de.res");
        assertThat(kept.size()).isLessThan(all.size() / 2);
        for (String name : List.of("coll/ucadata.icu", "coll/sv.res", "res_index.res", "lang/en.res", "nfkc.nrm")) {
            assertThat(IcuDataFilter.item(filtered, name)).as(name).isEqualTo(IcuDataFilter.item(library, name));
        }
        assertThat(filtered).as("the library keeps its size and layout").hasSameSizeAs(library);
        assertThat(IcuDataFilter.filter(filtered, name -> true)).as("a filtered package reads as a package")
                .isEqualTo(filtered);
    }

    @Test
    void refusesAFileThatIsNotAnIcuDataLibrary() {
        assertThatThrownBy(() -> IcuDataFilter.filter(new byte[100], name -> true))
                .hasMessageContaining("not a 64-bit little-endian ELF file");
        byte[] damaged = library.clone();
        damaged[0x4] = 1; // 32-bit class
        assertThatThrownBy(() -> IcuDataFilter.items(damaged)).isInstanceOf(IOException.class);
    }
}
