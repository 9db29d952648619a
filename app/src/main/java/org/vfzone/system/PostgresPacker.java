package org.vfzone.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.ARM64Options;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * Build time: packs the embedded PostgreSQL the jar carries ({@link PostgresBinaries}) from the embedding library's
 * two Linux archives, which are on the build's class path and not in the jar.
 */
final class PostgresPacker {

    /** The library's x86-64 archive. */
    static final String LIBRARY_X86 = "postgres-linux-x86_64.txz";
    /** The library's ARM64 archive. */
    static final String LIBRARY_ARM = "postgres-linux-arm_64.txz";

    /**
     * What the embedded server never runs: headers, static and client libraries (ECPG), the extension build kit, and
     * the extensions vfzone does not create (only {@code pg_trgm}) with the libraries only they load (libxslt,
     * OSSP UUID). The procedural language, text search and encoding conversion modules initdb and the server load
     * stay.
     */
    static final Pattern NOT_SHIPPED = Pattern.compile("include/.*|lib/[^/]*\\.a|lib/pkgconfig/.*"
            + "|lib/postgresql/pgxs/.*|lib/lib(ecpg|pgtypes|xslt|ossp-uuid)[^/]*"
            + "|lib/postgresql/(?!(plpgsql|dict_snowball|pg_trgm|pgoutput|libpqwalreceiver|euc2004_sjis2004"
            + "|[a-z0-9]+_and_[a-z0-9_]+)\\.so$)[^/]+"
            + "|share/postgresql/extension/(?!(plpgsql|pg_trgm)[-.])[^/]+");

    /** ICU's data library, as each archive names it. */
    private static final Pattern ICU_DATA = Pattern.compile("lib/libicudata\\.so\\.[0-9.]+");

    /** A shared run of bytes shorter than this is not worth a splice. */
    static final int MIN_SPLICE = 1 << 20;
    private static final int ANCHOR = 4096;

    private PostgresPacker() {
    }

    /** A file of an archive: its entry and its bytes (none for links and folders). */
    record Entry(TarArchiveEntry header, byte[] content) {
    }

    /**
     * Writes the base and the difference under the classes folder {@code args[0]}, unless they were made from the same
     * archives by the same packer (the digest of both is kept in {@code args[1]}).
     */
    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        Path source = Path.of(args[1]);
        byte[] x86 = PostgresBinaries.resource(LIBRARY_X86);
        byte[] arm = PostgresBinaries.resource(LIBRARY_ARM);
        String sources = PostgresBinaries.digest(x86, arm, classBytes(PostgresPacker.class),
                classBytes(IcuDataFilter.class));
        Path base = classes.resolve(PostgresBinaries.BASE);
        Path delta = classes.resolve(PostgresBinaries.ARM_DELTA);
        if (Files.exists(base) && Files.exists(delta) && Files.exists(source)
                && Files.readString(source).equals(sources)) {
            return;
        }
        List<Entry> x86Tree = shipped(x86);
        Files.createDirectories(base.getParent());
        Files.write(base, xzInParts(tar(x86Tree), PostgresPacker::x86Filters));
        Files.write(delta, delta(x86Tree, shipped(arm)));
        Files.writeString(source, sources);
    }

    private static byte[] classBytes(Class<?> type) throws IOException {
        return PostgresBinaries.resource(type.getName().replace('.', '/') + ".class");
    }

    /** The archive's entries the embedded server needs, with ICU's data filtered ({@link IcuDataFilter}). */
    static List<Entry> shipped(byte[] archive) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (TarArchiveInputStream tar = PostgresBinaries.tar(archive)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (NOT_SHIPPED.matcher(entry.getName()).matches()) {
                    continue;
                }
                byte[] content = isRegular(entry) ? tar.readAllBytes() : new byte[0];
                if (isRegular(entry) && ICU_DATA.matcher(entry.getName()).matches()) {
                    content = IcuDataFilter.filter(content,
                            name -> !IcuDataFilter.UNUSED.matcher(name).matches());
                }
                entries.add(new Entry(entry, content));
            }
        }
        return entries;
    }

    /** ARM64's tree as its difference from x86-64's. */
    static byte[] delta(List<Entry> base, List<Entry> arm) throws IOException {
        Map<String, Entry> baseFiles = new HashMap<>();
        for (Entry entry : base) {
            if (isRegular(entry.header())) {
                baseFiles.put(entry.header().getName(), entry);
            }
        }
        Set<String> same = new HashSet<>();
        Map<String, PostgresBinaries.Splice> splices = new LinkedHashMap<>();
        List<Entry> own = new ArrayList<>();
        for (Entry entry : arm) {
            TarArchiveEntry header = entry.header();
            byte[] content = entry.content();
            Entry baseFile = baseFiles.get(header.getName());
            PostgresBinaries.Splice splice;
            if (!isRegular(header) || baseFile == null) {
                own.add(entry);
            } else if (Arrays.equals(content, baseFile.content()) && baseFile.header().getMode() == header.getMode()) {
                same.add(header.getName());
            } else if ((splice = splice(baseFile.content(), content)) != null) {
                splices.put(header.getName(), splice);
                byte[] headAndTail = new byte[content.length - splice.length()];
                System.arraycopy(content, 0, headAndTail, 0, splice.headLength());
                System.arraycopy(content, splice.headLength() + splice.length(), headAndTail,
                        splice.headLength(), headAndTail.length - splice.headLength());
                own.add(new Entry(header, headAndTail));
            } else {
                own.add(entry);
            }
        }
        byte[] manifest = new PostgresBinaries.Manifest(same, splices).write().getBytes(StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(new TarArchiveEntry(PostgresBinaries.MANIFEST), manifest));
        entries.addAll(own);
        return xzInParts(tar(entries), PostgresPacker::armFilters);
    }

    /** A file with bytes of its own: the library's {@code isFile} also holds for links. */
    static boolean isRegular(TarArchiveEntry entry) {
        return entry.isFile() && !entry.isSymbolicLink() && !entry.isLink();
    }

    /**
     * The longest run of bytes {@code file} shares with {@code base}, found from a few places in {@code base}, as a
     * splice, or null when there is none worth one. Whatever it finds, the file is rebuilt exactly: only shared bytes
     * are taken from the base.
     */
    static PostgresBinaries.Splice splice(byte[] base, byte[] file) {
        if (base.length < MIN_SPLICE || file.length < MIN_SPLICE) {
            return null;
        }
        PostgresBinaries.Splice longest = null;
        for (int eighth = 1; eighth < 8; eighth++) {
            int anchor = (int) ((long) base.length * eighth / 8);
            byte[] needle = Arrays.copyOfRange(base, anchor, anchor + ANCHOR);
            if (isOneByteRepeated(needle)) {
                continue; // it would match the first such run in the file, likely out of place
            }
            int at = indexOf(file, needle);
            if (at < 0) {
                continue;
            }
            int before = 0;
            while (anchor - before > 0 && at - before > 0 && base[anchor - before - 1] == file[at - before - 1]) {
                before++;
            }
            int after = 0;
            while (anchor + after < base.length && at + after < file.length
                    && base[anchor + after] == file[at + after]) {
                after++;
            }
            if (before + after >= MIN_SPLICE && (longest == null || before + after > longest.length())) {
                longest = new PostgresBinaries.Splice(anchor - before, before + after, at - before);
            }
        }
        return longest;
    }

    private static boolean isOneByteRepeated(byte[] bytes) {
        for (byte b : bytes) {
            if (b != bytes[0]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static byte[] tar(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry entry : entries) {
                TarArchiveEntry header = entry.header();
                if (isRegular(header)) {
                    header.setSize(entry.content().length);
                }
                tar.putArchiveEntry(header);
                tar.write(entry.content());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Each architecture's branch filter first: executables and libraries come out 5–10 % smaller. */
    private static FilterOptions[] x86Filters() {
        return new FilterOptions[] {new X86Options(), lzma2()};
    }

    private static FilterOptions[] armFilters() {
        return new FilterOptions[] {new ARM64Options(), lzma2()};
    }

    /** xz's strongest preset, with a window as large as a part (about 27 MB): 2–3 % smaller than the default. */
    private static LZMA2Options lzma2() {
        try {
            LZMA2Options options = new LZMA2Options(LZMA2Options.PRESET_MAX);
            options.setDictSize(32 << 20);
            return options;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The bytes as .xz streams of consecutive parts, compressed side by side: a reader of .xz reads streams one after
     * another as one, and the build waits for a part instead of the whole.
     */
    static byte[] xzInParts(byte[] data, Supplier<FilterOptions[]> filters) throws IOException {
        int parts = Math.min(4, Runtime.getRuntime().availableProcessors());
        int size = (data.length + parts - 1) / parts;
        List<byte[]> compressed = IntStream.range(0, parts).parallel().mapToObj(part -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (XZOutputStream xz = new XZOutputStream(bytes, filters.get(), XZ.CHECK_CRC64)) {
                int from = Math.min(data.length, part * size);
                xz.write(data, from, Math.min(data.length, from + size) - from);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }).toList();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : compressed) {
            all.write(part);
        }
        return all.toByteArray();
    }
}
