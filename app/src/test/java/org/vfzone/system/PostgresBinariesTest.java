package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * The PostgreSQL the jar carries for each architecture is, file for file, the one the embedding library ships: ARM64
 * rebuilt from x86-64 and the difference the build made (the library's ARM64 archive is on the test class path, not
 * in the jar), x86-64 as shipped.
 */
class PostgresBinariesTest {

    @TempDir
    Path work;

    @Test
    void arm64IsRebuiltFileForFileFromX86AndTheDifference() throws IOException {
        Path tree = PostgresBinaries.unpacked("arm_64", work);

        assertSameTree(PostgresBinaries.resource(PostgresBinaries.ARM), tree);
        // ICU's locale data and the files alike are kept once: the difference is under half the library's archive
        assertThat((double) PostgresBinaries.resource(PostgresBinaries.ARM_DELTA).length)
                .isLessThan(PostgresBinaries.resource(PostgresBinaries.ARM).length * 0.5);
    }

    @Test
    void x86IsTheLibrarysArchiveAndATreeInPlaceIsUsedAsItIs() throws IOException {
        Path tree = PostgresBinaries.unpacked("x86_64", work);
        assertSameTree(PostgresBinaries.resource(PostgresBinaries.BASE), tree);

        Path postgres = tree.resolve("bin/postgres");
        Files.delete(tree.resolve("share/postgresql/pg_hba.conf.sample"));
        assertThat(PostgresBinaries.unpacked("x86_64", work)).isEqualTo(tree);
        assertThat(tree.resolve("share/postgresql/pg_hba.conf.sample")).as("not unpacked again").doesNotExist();
        assertThat(postgres).isExecutable();
        assertThat(Files.getPosixFilePermissions(tree)).as("other accounts may run it")
                .contains(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
        // the library names its copy by the digest of what it is handed: the same on every start, not a copy each
        assertThat(PostgresBinaries.links(tree).readAllBytes()).isEqualTo(PostgresBinaries.links(tree).readAllBytes());
        try (Stream<Path> siblings = Files.list(work)) {
            assertThat(siblings).as("no staging folder left behind").containsExactly(tree);
        }
    }

    @Test
    void aSpliceTakesOnlyTheRunBothFilesShare() {
        Random random = new Random(7);
        byte[] base = new byte[3 << 20];
        random.nextBytes(base);
        byte[] head = new byte[1_000];
        byte[] tail = new byte[300];
        random.nextBytes(head);
        random.nextBytes(tail);
        int from = 5_000;
        int length = 2 << 20;
        byte[] file = new byte[head.length + length + tail.length];
        System.arraycopy(head, 0, file, 0, head.length);
        System.arraycopy(base, from, file, head.length, length);
        System.arraycopy(tail, 0, file, head.length + length, tail.length);

        PostgresBinaries.Splice splice = PostgresBinaries.splice(base, file);

        assertThat(splice).isEqualTo(new PostgresBinaries.Splice(from, length, head.length));
        byte[] unrelated = new byte[2 << 20];
        random.nextBytes(unrelated);
        assertThat(PostgresBinaries.splice(base, unrelated)).isNull();
    }

    @Test
    void anArchivesEntryNeverWritesOutsideItsFolder() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(bytes, new LZMA2Options(0));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(xz)) {
            TarArchiveEntry entry = new TarArchiveEntry("bin/../../escaped");
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        Path root = Files.createDirectory(work.resolve("root"));

        assertThatThrownBy(() -> PostgresBinaries.unpack(bytes.toByteArray(), root))
                .hasMessageContaining("outside its folder");
        assertThat(work.resolve("escaped")).doesNotExist();
    }

    /** Every entry of the archive is in the tree as it is in the archive, and the tree holds nothing else. */
    private static void assertSameTree(byte[] archive, Path tree) throws IOException {
        Set<Path> expected = new HashSet<>();
        try (TarArchiveInputStream tar = PostgresBinaries.tar(archive)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = tree.resolve(entry.getName()).normalize();
                expected.add(path);
                if (entry.isSymbolicLink()) {
                    assertThat(Files.readSymbolicLink(path)).as(entry.getName())
                            .isEqualTo(Path.of(entry.getLinkName()));
                } else if (entry.isDirectory()) {
                    assertThat(path).as(entry.getName()).isDirectory();
                } else {
                    assertThat(Files.readAllBytes(path)).as(entry.getName()).isEqualTo(tar.readAllBytes());
                    assertThat(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)).as(entry.getName())
                            .isEqualTo(permissions(entry.getMode()));
                }
            }
        }
        try (Stream<Path> all = Files.walk(tree)) {
            assertThat(all.filter(path -> !path.equals(tree) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)))
                    .allSatisfy(path -> assertThat(expected).as("only the archive's files").contains(path));
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = new HashSet<>();
        String[] letters = {"OWNER", "GROUP", "OTHERS"};
        for (int who = 0; who < 3; who++) {
            int bits = (mode >> (6 - 3 * who)) & 7;
            if ((bits & 4) != 0) {
                permissions.add(PosixFilePermission.valueOf(letters[who] + "_READ"));
            }
            if ((bits & 2) != 0) {
                permissions.add(PosixFilePermission.valueOf(letters[who] + "_WRITE"));
            }
            if ((bits & 1) != 0) {
                permissions.add(PosixFilePermission.valueOf(letters[who] + "_EXECUTE"));
            }
        }
        return permissions;
    }
}
