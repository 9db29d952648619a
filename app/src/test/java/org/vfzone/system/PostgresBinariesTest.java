package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * The PostgreSQL the jar carries for each architecture is, file for file, what the build packed from the embedding
 * library's archive (which are on the test class path, not in the jar): ARM64 rebuilt from x86-64 and the difference,
 * x86-64 from its own archive. The packed server starts, and ICU's collations work in it.
 */
// its own servers in its own folders: beside the other classes, one such class at a time
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("servers of their own")
class PostgresBinariesTest {

    @TempDir
    Path work;

    @Test
    void arm64IsRebuiltFileForFileFromX86AndTheDifference() throws IOException {
        Path tree = PostgresBinaries.unpacked("arm_64", work);

        assertSameTree(PostgresPacker.shipped(PostgresBinaries.resource(PostgresPacker.LIBRARY_ARM)), tree);
        // ICU's locale data and the files alike are kept once: the difference is under half the library's archive
        assertThat((double) PostgresBinaries.resource(PostgresBinaries.ARM_DELTA).length)
                .isLessThan(PostgresBinaries.resource(PostgresPacker.LIBRARY_ARM).length * 0.5);
    }

    @Test
    void x86IsThePackedArchiveAndATreeInPlaceIsUsedAsItIs() throws IOException {
        Path tree = PostgresBinaries.unpacked("x86_64", work);
        assertSameTree(PostgresPacker.shipped(PostgresBinaries.resource(PostgresPacker.LIBRARY_X86)), tree);
        assertThat(tree.resolve("lib/libpq.a")).as("left out").doesNotExist();
        assertThat(tree.resolve("lib/postgresql/pg_trgm.so")).as("vfzone creates this extension").exists();

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
    void aServersOwnFolderKeepsOnlyThisVersionsTreeAndItsLinks() throws IOException {
        Path folder = Files.createDirectory(work.resolve("unpacked"));
        Path earlier = Files.createDirectories(folder.resolve(PostgresBinaries.TREE_PREFIX + "x86_64-0123456789abcdef"));
        Files.createDirectories(earlier.resolve("bin"));
        Files.writeString(earlier.resolve("bin/postgres"), "an earlier version's server");
        Path linksToEarlier = Files.createDirectory(folder.resolve("PG-0000"));
        Files.createSymbolicLink(linksToEarlier.resolve("bin"), earlier.resolve("bin"));
        Path librarysOwn = Files.createDirectories(folder.resolve("PG-1111/bin")).getParent();
        Path unrelated = Files.createDirectory(folder.resolve("notes"));

        PostgresBinaries.Resolver resolver = new PostgresBinaries.Resolver(folder, true);
        resolver.getPgBinary("Linux", "x86_64").close();

        Path tree = PostgresBinaries.unpacked("x86_64", folder);
        assertThat(tree.resolve("bin/postgres")).exists();
        assertThat(earlier).as("an earlier version's tree").doesNotExist();
        assertThat(linksToEarlier).as("links to it").doesNotExist();
        assertThat(librarysOwn).as("the library's own folder, not ours to judge").exists();
        assertThat(unrelated).exists();
        // the tests' shared folder (one per machine, other builds' servers may run from it) keeps every tree
        Path shared = Files.createDirectory(work.resolve("shared"));
        Path otherBuilds = Files.createDirectories(shared.resolve(PostgresBinaries.TREE_PREFIX + "x86_64-fedcba9876543210"));
        new PostgresBinaries.Resolver(shared, false).getPgBinary("Linux", "x86_64").close();
        assertThat(otherBuilds).exists();
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

        PostgresBinaries.Splice splice = PostgresPacker.splice(base, file);

        assertThat(splice).isEqualTo(new PostgresBinaries.Splice(from, length, head.length));
        byte[] unrelated = new byte[2 << 20];
        random.nextBytes(unrelated);
        assertThat(PostgresPacker.splice(base, unrelated)).isNull();
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

    @Test
    void thePackedServerStartsAndSortsWithIcusCollations() throws Exception {
        try (EmbeddedPostgres postgres = PostgresBinaries.builder(work.resolve("binaries"))
                .setDataDirectory(work.resolve("pgdata")).start();
             Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement sql = connection.createStatement()) {
            assertThat(text(sql, "select string_agg(x, ',' order by x collate \"und-x-icu\") "
                    + "from unnest(array['b', 'B', 'é', 'a', 'e', 'A']) x")).isEqualTo("a,A,b,B,e,é");
            // a language's own order: Swedish sorts ä after z, German beside a
            assertThat(text(sql, "select string_agg(x, ',' order by x collate \"sv-x-icu\") "
                    + "from unnest(array['ä', 'z', 'a']) x")).isEqualTo("a,z,ä");
            assertThat(text(sql, "select string_agg(x, ',' order by x collate \"de-x-icu\") "
                    + "from unnest(array['ä', 'z', 'a']) x")).isEqualTo("a,ä,z");
            assertThat(text(sql, "select upper('straße' collate \"de-x-icu\")")).isEqualTo("STRASSE");
            assertThat(text(sql, "select initcap('hello world' collate \"en-x-icu\")")).isEqualTo("Hello World");
            assertThat(text(sql, "select obj_description(oid, 'pg_collation') from pg_collation "
                    + "where collname = 'de-DE-x-icu'")).as("English display names").isEqualTo("German (Germany)");
            sql.execute("create collation case_blind (provider = icu, locale = 'und-u-ks-level2', "
                    + "deterministic = false)");
            assertThat(text(sql, "select ('ABC' = 'abc' collate case_blind)::text")).isEqualTo("true");
            sql.execute("create extension pg_trgm");
            assertThat(text(sql, "select to_tsvector('english', 'The quick foxes')::text"))
                    .isEqualTo("'fox':3 'quick':2");
            // the same collations, named and described alike, as the library's own server imports
            try (EmbeddedPostgres library = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(work.resolve("library").toFile())
                    .setDataDirectory(work.resolve("library-pgdata")).start();
                 Connection theirs = library.getPostgresDatabase().getConnection();
                 Statement theirSql = theirs.createStatement()) {
                String collations = "select string_agg(collname || ' ' || coalesce(obj_description(oid, "
                        + "'pg_collation'), ''), E'\\n' order by collname) from pg_collation where collprovider = 'i' "
                        + "and collnamespace = 'pg_catalog'::regnamespace";
                assertThat(text(sql, collations)).isEqualTo(text(theirSql, collations)).contains("sv-SE-x-icu");
            }
        }
    }

    private static String text(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            assertThat(row.next()).as(query).isTrue();
            return row.getString(1);
        }
    }

    /** Every entry is in the tree as it is in the list, and the tree holds nothing else. */
    private static void assertSameTree(List<PostgresPacker.Entry> entries, Path tree) throws IOException {
        Set<Path> expected = new HashSet<>();
        for (PostgresPacker.Entry file : entries) {
            TarArchiveEntry entry = file.header();
            Path path = tree.resolve(entry.getName()).normalize();
            expected.add(path);
            if (entry.isSymbolicLink()) {
                assertThat(Files.readSymbolicLink(path)).as(entry.getName()).isEqualTo(Path.of(entry.getLinkName()));
            } else if (entry.isDirectory()) {
                assertThat(path).as(entry.getName()).isDirectory();
            } else {
                assertThat(Files.readAllBytes(path)).as(entry.getName()).isEqualTo(file.content());
                assertThat(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)).as(entry.getName())
                        .isEqualTo(permissions(entry.getMode()));
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
