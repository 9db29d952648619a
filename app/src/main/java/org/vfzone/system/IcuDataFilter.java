package org.vfzone.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Removes from ICU's data library ({@code libicudata.so}) the data the embedded PostgreSQL never asks ICU for, as
 * ICU's own data filters do when ICU is built: code page converters, break dictionaries, time zone, currency, unit,
 * transliteration and number spelling data, and display names in languages other than English. What PostgreSQL
 * uses stays: collation data, the locale list it imports collations from, English display names (collation
 * comments), character properties, normalization and break rules.
 * <p>
 * The library is a shared object whose one symbol ({@code icudt<version>_dat}) holds a package in ICU's common data
 * format: a header, a table of contents of item names and offsets, then the items. The filtered package is written
 * in the symbol's place and the rest of the symbol is zeroed, so the library keeps its size and layout, and the
 * zeros cost almost nothing compressed.
 */
final class IcuDataFilter {

    /** Item names, without the package's own prefix ({@code icudt60l/}), that PostgreSQL has no use for. */
    static final Pattern UNUSED = Pattern.compile(
            ".*\\.cnv|.*\\.spp|brkitr/.*\\.dict|(zone|curr|unit|translit|rbnf)/.*"
                    + "|(lang|region)/(?!(en|root|res_index|pool)\\.res$).*");

    private static final int SHT_DYNSYM = 11;
    private static final int ALIGNMENT = 16;

    private IcuDataFilter() {
    }

    /** The library with only the items whose names pass {@code keep} (names as {@link #items} gives them). */
    static byte[] filter(byte[] library, Predicate<String> keep) throws IOException {
        Package data = Package.find(library);
        List<Item> kept = new ArrayList<>();
        for (Item item : data.items()) {
            if (keep.test(item.name())) {
                kept.add(item);
            }
        }
        byte[] names = names(data.prefix(), kept);
        int tocLength = 4 + 8 * kept.size();
        int dataStart = align(tocLength + names.length);
        ByteBuffer toc = ByteBuffer.allocate(tocLength).order(ByteOrder.LITTLE_ENDIAN);
        toc.putInt(kept.size());
        int nameAt = tocLength;
        int dataAt = dataStart;
        for (Item item : kept) {
            toc.putInt(nameAt).putInt(dataAt);
            nameAt += (data.prefix() + item.name()).getBytes(StandardCharsets.US_ASCII).length + 1;
            dataAt = align(dataAt + item.length());
        }
        if (dataAt > data.tocSize()) {
            throw new IOException("the filtered ICU data does not fit in its place");
        }
        byte[] filtered = library.clone();
        int at = data.tocOffset();
        Arrays.fill(filtered, at, at + data.tocSize(), (byte) 0);
        System.arraycopy(toc.array(), 0, filtered, at, tocLength);
        System.arraycopy(names, 0, filtered, at + tocLength, names.length);
        int itemAt = at + dataStart;
        for (Item item : kept) {
            System.arraycopy(library, at + item.offset(), filtered, itemAt, item.length());
            itemAt = at + align(itemAt - at + item.length());
        }
        return filtered;
    }

    /** The names of the package's items, without its prefix, in the package's order. */
    static List<String> items(byte[] library) throws IOException {
        return Package.find(library).items().stream().map(Item::name).toList();
    }

    /** One item's bytes. */
    static byte[] item(byte[] library, String name) throws IOException {
        Package data = Package.find(library);
        for (Item item : data.items()) {
            if (item.name().equals(name)) {
                return Arrays.copyOfRange(library, data.tocOffset() + item.offset(),
                        data.tocOffset() + item.offset() + item.length());
            }
        }
        throw new IOException("the ICU data holds no item " + name);
    }

    private static byte[] names(String prefix, List<Item> kept) {
        StringBuilder text = new StringBuilder();
        for (Item item : kept) {
            text.append(prefix).append(item.name()).append('\0');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static int align(int offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** An item: its name, and its place relative to the table of contents. */
    record Item(String name, int offset, int length) {
    }

    /**
     * The package in the library: where its table of contents starts in the file, how many bytes from there the
     * symbol holds, the items' common prefix and the items.
     */
    record Package(int tocOffset, int tocSize, String prefix, List<Item> items) {

        static Package find(byte[] library) throws IOException {
            ByteBuffer elf = ByteBuffer.wrap(library).order(ByteOrder.LITTLE_ENDIAN);
            if (library.length < 64 || elf.getInt(0) != 0x464c457f || library[4] != 2 || library[5] != 1) {
                throw new IOException("the ICU data library is not a 64-bit little-endian ELF file");
            }
            long sectionTable = elf.getLong(0x28);
            int sectionSize = Short.toUnsignedInt(elf.getShort(0x3a));
            int sections = Short.toUnsignedInt(elf.getShort(0x3c));
            for (int s = 0; s < sections; s++) {
                int header = Math.toIntExact(sectionTable + (long) s * sectionSize);
                if (elf.getInt(header + 4) != SHT_DYNSYM) {
                    continue;
                }
                int symbols = Math.toIntExact(elf.getLong(header + 0x18));
                int symbolsSize = Math.toIntExact(elf.getLong(header + 0x20));
                int symbolSize = Math.toIntExact(elf.getLong(header + 0x38));
                int strings = Math.toIntExact(elf.getLong(
                        Math.toIntExact(sectionTable + (long) elf.getInt(header + 0x28) * sectionSize) + 0x18));
                for (int at = symbols; at < symbols + symbolsSize; at += symbolSize) {
                    String name = cString(library, strings + elf.getInt(at));
                    if (name.matches("icudt\\d+_dat")) {
                        int inSection = Short.toUnsignedInt(elf.getShort(at + 6));
                        int section = Math.toIntExact(sectionTable + (long) inSection * sectionSize);
                        long fileOffset = elf.getLong(at + 8) - elf.getLong(section + 0x10) + elf.getLong(section + 0x18);
                        return read(elf, Math.toIntExact(fileOffset), Math.toIntExact(elf.getLong(at + 16)));
                    }
                }
            }
            throw new IOException("the ICU data library has no icudt..._dat symbol");
        }

        private static Package read(ByteBuffer elf, int at, int size) throws IOException {
            int headerSize = Short.toUnsignedInt(elf.getShort(at));
            byte[] format = new byte[4];
            elf.get(at + 12, format);
            if ((elf.get(at + 2) & 0xff) != 0xda || elf.get(at + 3) != 0x27 || elf.get(at + 8) != 0
                    || !"CmnD".equals(new String(format, StandardCharsets.US_ASCII))) {
                throw new IOException("the ICU data symbol holds no little-endian common data package");
            }
            int toc = at + headerSize;
            int tocSize = size - headerSize;
            int count = elf.getInt(toc);
            List<Item> items = new ArrayList<>(count);
            String prefix = null;
            for (int i = 0; i < count; i++) {
                String name = cString(elf.array(), toc + elf.getInt(toc + 4 + 8 * i));
                int offset = elf.getInt(toc + 8 + 8 * i);
                int end = i + 1 < count ? elf.getInt(toc + 8 + 8 * (i + 1)) : tocSize;
                int slash = name.indexOf('/');
                if (prefix == null) {
                    prefix = name.substring(0, slash + 1);
                }
                if (slash < 0 || !name.startsWith(prefix) || offset < 0 || end < offset || end > tocSize) {
                    throw new IOException("the ICU data package's table of contents is damaged at item " + i);
                }
                items.add(new Item(name.substring(prefix.length()), offset, end - offset));
            }
            return new Package(toc, tocSize, prefix == null ? "" : prefix, items);
        }

        private static String cString(byte[] bytes, int at) {
            int end = at;
            while (bytes[end] != 0) {
                end++;
            }
            return new String(bytes, at, end - at, StandardCharsets.US_ASCII);
        }
    }
}
