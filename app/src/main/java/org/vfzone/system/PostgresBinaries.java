package org.vfzone.system;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * The embedded PostgreSQL's binaries for Linux x86-64 and ARM64, in a third of the space of the two archives the
 * embedding library ships. The build ({@link PostgresPacker}) leaves out what the embedded server never runs and ICU
 * data PostgreSQL never asks for, ships x86-64's tree as {@value #BASE}, and ARM64's as its difference from it
 * ({@value #ARM_DELTA}): the files both hold alike (time zones, SQL, samples) are kept once, and so is ICU's data,
 * which each architecture wraps in a library header of its own. The tree of the machine's architecture is unpacked
 * once into the library's working directory, and the library is handed an archive of links to it. Other systems (a
 * macOS or Windows build adds the library's own archives) use the library's resolver.
 */
public final class PostgresBinaries {

    /** x86-64's tree, the base of the ARM64 difference. */
    static final String BASE = "postgres/linux-x86_64.txz";
    /** ARM64's difference from the base. */
    static final String ARM_DELTA = "postgres/linux-arm_64.delta.txz";
    /** How the unpacked trees' folders are named, before the architecture and the digest of the archives. */
    static final String TREE_PREFIX = "vfzone-postgres-";
    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    /** The difference's first entry: which files come from the base, whole or around a stored head and tail. */
    static final String MANIFEST = ".vfzone-delta";

    private PostgresBinaries() {
    }

    /** The embedding library's builder, with these binaries unpacked in the library's own folder (the tests'). */
    public static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder().setPgBinaryResolver(new Resolver(Path.of(System.getProperty(
                "ot.epg.working-dir", Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString())),
                false));
    }

    /**
     * The embedding library's builder, with these binaries unpacked under {@code folder}, which is made its owner's
     * alone: in a folder others may write to (the library's own is in the temporary directory, and the library makes
     * its working folder writable by all) they could put programs of theirs where PostgreSQL's are looked for. The
     * folder is one server's: the trees an earlier version unpacked there are removed once this one's is in place.
     */
    public static EmbeddedPostgres.Builder builder(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        Path working = folder.resolve("unpacked");
        return EmbeddedPostgres.builder().setOverrideWorkingDirectory(working.toFile())
                .setPgBinaryResolver(new Resolver(working, true));
    }

    /**
     * Hands the library the binaries, unpacked under the library's working folder, removing the trees of other
     * versions there when the folder is one server's ({@code ownFolder}). A value: the library keeps what it
     * unpacked per resolver, and two builders for one folder share it.
     */
    record Resolver(Path workingDirectory, boolean ownFolder) implements PgBinaryResolver {

        @Override
        public InputStream getPgBinary(String system, String machine) throws IOException {
            String architecture = architecture(machine);
            if (!"Linux".equals(system) || architecture == null || !shipped(BASE)
                    || ("arm_64".equals(architecture) && !shipped(ARM_DELTA))) {
                return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine);
            }
            Path tree = unpacked(architecture, workingDirectory);
            if (ownFolder) {
                removeOtherVersions(workingDirectory, tree);
            }
            return links(tree);
        }
    }

    /** Whether the build packed this resource: it did not when the classes come from an IDE's own build. */
    private static boolean shipped(String resource) {
        return PostgresBinaries.class.getClassLoader().getResource(resource) != null;
    }

    /** The architecture as the archives name it, or null when these binaries do not cover it. */
    static String architecture(String machine) {
        return switch (machine.toLowerCase(Locale.ROOT)) {
            case "x86_64", "amd64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> null;
        };
    }

    /**
     * The architecture's tree, unpacked under {@code parent} unless it already is there. A tree is unpacked beside
     * its place and moved there whole, so a tree in place is complete, and two processes starting at once do not
     * mix their files.
     */
    static Path unpacked(String architecture, Path parent) throws IOException {
        byte[] base = resource(BASE);
        byte[] delta = "arm_64".equals(architecture) ? resource(ARM_DELTA) : new byte[0];
        Path tree = parent.resolve(TREE_PREFIX + architecture + "-" + digest(base, delta).substring(0, 16));
        if (Files.isDirectory(tree)) {
            return tree;
        }
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, tree.getFileName() + ".");
        try {
            if (delta.length == 0) {
                unpack(base, staging);
            } else {
                applyDelta(base, delta, staging);
            }
            // readable by every user, as the library leaves its own trees: another account may run it from there
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(staging, tree, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                if (!Files.isDirectory(tree)) {
                    throw e;
                } // another process put its tree in place first
            }
        } finally {
            deleteTree(staging);
        }
        return tree;
    }

    /**
     * Removes the trees other versions of vfzone unpacked beside {@code tree}, and the library's folders of links to
     * them (whose links lead nowhere then). Called once a leftover server has been stopped: nothing runs from them.
     * A tree that cannot be removed is left, with a warning: it costs disk space, not the start.
     */
    static void removeOtherVersions(Path parent, Path tree) throws IOException {
        List<Path> others;
        try (Stream<Path> siblings = Files.list(parent)) {
            others = siblings.filter(path -> !path.equals(tree) && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                    .filter(path -> path.getFileName().toString().startsWith(TREE_PREFIX)
                            || (path.getFileName().toString().startsWith("PG-") && leadsNowhereOrTo(path, tree)))
                    .toList();
        }
        for (Path other : others) {
            try {
                deleteTree(other);
                log.info("Removed {}, PostgreSQL's programs of an earlier version", other);
            } catch (UncheckedIOException e) {
                log.warn("Could not remove {}, PostgreSQL's programs of an earlier version: {}", other,
                        e.getCause().toString());
            }
        }
    }

    /** Whether a library folder of links leads to a tree other than {@code tree}; left alone when unsure. */
    private static boolean leadsNowhereOrTo(Path links, Path tree) {
        Path bin = links.resolve("bin");
        if (!Files.isSymbolicLink(bin)) {
            return false; // the library's own unpacked archive, not links of ours
        }
        try {
            return !Files.readSymbolicLink(bin).startsWith(tree);
        } catch (IOException e) {
            return false;
        }
    }

    /** An archive of links to the tree's top folders, for the library to unpack in its place. */
    static InputStream links(Path tree) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(bytes, new LZMA2Options(0), XZ.CHECK_CRC32);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(xz);
             Stream<Path> tops = Files.list(tree)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path top : tops.sorted().toList()) {
                TarArchiveEntry link = new TarArchiveEntry(top.getFileName().toString(), TarArchiveEntry.LF_SYMLINK);
                link.setLinkName(top.toAbsolutePath().toString());
                // the same bytes on every start: the library names its folder by their digest
                link.setModTime(0);
                tar.putArchiveEntry(link);
                tar.closeArchiveEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    static void unpack(byte[] archive, Path root) throws IOException {
        try (TarArchiveInputStream tar = tar(archive)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                write(entry, tar, root);
            }
        }
    }

    /** The base's files the manifest names, whole or spliced, and the difference's own entries. */
    private static void applyDelta(byte[] base, byte[] delta, Path root) throws IOException {
        Manifest manifest;
        // a spliced file's entry in the difference (its mode) and its own head and tail
        Map<String, Map.Entry<TarArchiveEntry, byte[]>> ends = new HashMap<>();
        try (TarArchiveInputStream tar = tar(delta)) {
            TarArchiveEntry first = tar.getNextEntry();
            if (first == null || !MANIFEST.equals(first.getName())) {
                throw new IOException("the ARM64 difference does not start with its manifest");
            }
            manifest = Manifest.read(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (manifest.splices().containsKey(entry.getName())) {
                    ends.put(entry.getName(), Map.entry(entry, tar.readAllBytes()));
                } else {
                    write(entry, tar, root);
                }
            }
        }
        int found = 0;
        try (TarArchiveInputStream tar = tar(base)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Splice splice = manifest.splices().get(entry.getName());
                if (manifest.same().contains(entry.getName())) {
                    write(entry, tar, root);
                    found++;
                } else if (splice != null && entry.isFile()) {
                    byte[] headAndTail = ends.get(entry.getName()).getValue();
                    tar.skipNBytes(splice.baseOffset());
                    byte[] shared = tar.readNBytes(splice.length());
                    if (shared.length != splice.length()) {
                        throw new IOException("the x86-64 archive ends inside a file the ARM64 difference splices");
                    }
                    write(ends.get(entry.getName()).getKey(), new SequenceInputStream(Collections.enumeration(List.of(
                            new ByteArrayInputStream(headAndTail, 0, splice.headLength()),
                            new ByteArrayInputStream(shared),
                            new ByteArrayInputStream(headAndTail, splice.headLength(),
                                    headAndTail.length - splice.headLength())))), root);
                    found++;
                }
            }
        }
        if (found != manifest.same().size() + manifest.splices().size()) {
            throw new IOException("the x86-64 archive lacks files the ARM64 difference takes from it");
        }
    }

    /** What the difference takes from the base: files alike, and files spliced around a shared run. */
    record Manifest(Set<String> same, Map<String, Splice> splices) {

        String write() {
            StringBuilder text = new StringBuilder();
            same.stream().sorted().forEach(path -> text.append("same ").append(path).append('\n'));
            splices.forEach((path, s) -> text.append("splice ").append(s.baseOffset()).append(' ')
                    .append(s.length()).append(' ').append(s.headLength()).append(' ').append(path).append('\n'));
            return text.toString();
        }

        static Manifest read(String text) throws IOException {
            Set<String> same = new HashSet<>();
            Map<String, Splice> splices = new HashMap<>();
            for (String line : text.split("\n")) {
                String[] parts = line.split(" ", 5);
                if (parts.length == 2 && parts[0].equals("same")) {
                    same.add(parts[1]);
                } else if (parts.length == 5 && parts[0].equals("splice")) {
                    splices.put(parts[4], new Splice(Long.parseLong(parts[1]), Integer.parseInt(parts[2]),
                            Integer.parseInt(parts[3])));
                } else if (!line.isEmpty()) {
                    throw new IOException("the ARM64 difference's manifest has a line it cannot read: " + line);
                }
            }
            return new Manifest(same, splices);
        }
    }

    /**
     * A file made of its own head ({@code headLength} bytes), {@code length} bytes of the base's file of the same
     * path from {@code baseOffset}, and its own tail.
     */
    record Splice(long baseOffset, int length, int headLength) {
    }

    private static void write(TarArchiveEntry entry, InputStream content, Path root) throws IOException {
        Path target = inside(root, entry.getName());
        if (entry.isDirectory()) {
            Files.createDirectories(target);
            return;
        }
        Files.createDirectories(target.getParent());
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else if (entry.isFile()) {
            Files.copy(content, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, permissions(entry.getMode()));
        } else {
            throw new IOException("the PostgreSQL archive holds an entry of a kind it should not: " + entry.getName());
        }
    }

    /** The entry's place under the root; an archive's entry never writes outside it. */
    private static Path inside(Path root, String name) throws IOException {
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("the PostgreSQL archive names a path outside its folder: " + name);
        }
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] byBit = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, highest bit first
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < byBit.length; i++) {
            if ((mode & (1 << (byBit.length - 1 - i))) != 0) {
                permissions.add(byBit[i]);
            }
        }
        return permissions;
    }

    static TarArchiveInputStream tar(byte[] xz) throws IOException {
        return new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(xz)));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no " + name + " on the class path");
            }
            return in.readAllBytes();
        }
    }

    static String digest(byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha.update(part);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
