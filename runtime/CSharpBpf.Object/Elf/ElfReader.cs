using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Elf;

/// <summary>
/// Reads an ELF64 relocatable object (either byte order). Every header field and table is
/// bounds-checked; malformed input raises <see cref="BpfFormatException"/> with the file offset
/// and what was expected. Work is linear in the file size: section bodies may not overlap, so
/// the bytes copied never exceed the input, and every table count is capped by its byte size.
/// </summary>
public static class ElfReader
{
    private const string Format = "ELF";

    /// <summary>Parses <paramref name="bytes"/>; the returned model may keep referring to the array
    /// (section bytes are copied on first access), so do not modify it afterwards.</summary>
    public static ElfFile Read(byte[] bytes)
    {
        if (bytes is null) throw new ArgumentNullException(nameof(bytes));
        bool bigEndian = ReadIdent(bytes);
        var r = new ElfByteReader(bytes, bigEndian);
        r.Require(0, ElfConstants.HeaderSize, "the 64-byte ELF64 header");

        ushort type = r.U16(16, "e_type");
        ushort machine = r.U16(18, "e_machine");
        uint version = r.U32(20, "e_version");
        if (version != ElfConstants.CurrentVersion)
            throw new BpfFormatException(Format, 20, $"e_version 1 (EV_CURRENT), got {version}");
        ulong entry = r.U64(24, "e_entry");
        ulong shoff = r.U64(40, "e_shoff");
        uint flags = r.U32(48, "e_flags");
        ushort ehsize = r.U16(52, "e_ehsize");
        if (ehsize < ElfConstants.HeaderSize)
            throw new BpfFormatException(Format, 52, $"e_ehsize of at least {ElfConstants.HeaderSize}, got {ehsize}");
        ushort shentsize = r.U16(58, "e_shentsize");
        ushort shnum = r.U16(60, "e_shnum");
        ushort shstrndx = r.U16(62, "e_shstrndx");

        var headers = ReadSectionHeaders(r, shoff, shentsize, shnum, ref shstrndx);
        CheckNoOverlap(headers, shoff);
        var sections = MaterializeSections(r, headers, shstrndx);
        var (symbols, symtabIndex) = ReadSymbols(r, sections);
        var relocations = ReadRelocations(r, sections, symbols, symtabIndex);
        return new ElfFile(bigEndian, type, machine, version, bytes[7], bytes[8], entry, flags, shstrndx,
            sections, symbols, symtabIndex, relocations);
    }

    private static bool ReadIdent(byte[] b)
    {
        if (b.Length < ElfConstants.IdentSize)
            throw new BpfFormatException(Format, b.Length, $"the 16-byte ELF identification, but the file has {b.Length} bytes");
        if (b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new BpfFormatException(Format, 0, "the magic 7f 45 4c 46 (\\x7fELF)");
        if (b[4] != ElfConstants.ClassElf64)
            throw new BpfFormatException(Format, 4, $"EI_CLASS 2 (ELFCLASS64), got {b[4]}");
        if (b[5] != ElfConstants.DataLittleEndian && b[5] != ElfConstants.DataBigEndian)
            throw new BpfFormatException(Format, 5, $"EI_DATA 1 (little-endian) or 2 (big-endian), got {b[5]}");
        if (b[6] != ElfConstants.CurrentVersion)
            throw new BpfFormatException(Format, 6, $"EI_VERSION 1, got {b[6]}");
        return b[5] == ElfConstants.DataBigEndian;
    }

    private readonly struct RawSection
    {
        public RawSection(long headerOffset, uint name, uint type, ulong flags, ulong addr, ulong offset, ulong size,
            uint link, uint info, ulong align, ulong entsize)
        {
            HeaderOffset = headerOffset; Name = name; Type = type; Flags = flags; Addr = addr; Offset = offset;
            Size = size; Link = link; Info = info; Align = align; EntSize = entsize;
        }
        public long HeaderOffset { get; }
        public uint Name { get; }
        public uint Type { get; }
        public ulong Flags { get; }
        public ulong Addr { get; }
        public ulong Offset { get; }
        public ulong Size { get; }
        public uint Link { get; }
        public uint Info { get; }
        public ulong Align { get; }
        public ulong EntSize { get; }
        public bool HasFileBytes => Type != (uint)ElfSectionType.NoBits && Type != (uint)ElfSectionType.Null;
    }

    private static RawSection[] ReadSectionHeaders(ElfByteReader r, ulong shoff, ushort shentsize, ushort shnum, ref ushort shstrndx)
    {
        if (shoff == 0)
        {
            if (shnum != 0)
                throw new BpfFormatException(Format, 40, $"a non-zero e_shoff for {shnum} sections");
            return Array.Empty<RawSection>();
        }
        if (shentsize != ElfConstants.SectionHeaderSize)
            throw new BpfFormatException(Format, 58, $"e_shentsize {ElfConstants.SectionHeaderSize}, got {shentsize}");
        if (shoff % 8 != 0)
            throw new BpfFormatException(Format, 40, $"an 8-byte aligned e_shoff, got {shoff}");

        r.Require(shoff, ElfConstants.SectionHeaderSize, "section header 0");
        ulong count = shnum;
        if (count == 0)
        {
            // Extended numbering: more than 0xff00 sections keeps the count in section 0's sh_size.
            count = r.U64(shoff + 32, "section 0 sh_size (extended section count)");
        }
        if (shstrndx == ElfConstants.SectionExtendedIndex)
            shstrndx = (ushort)Math.Min(r.U32(shoff + 40, "section 0 sh_link (extended e_shstrndx)"), ushort.MaxValue);

        ulong available = ((ulong)r.Length - Math.Min(shoff, (ulong)r.Length)) / ElfConstants.SectionHeaderSize;
        if (count > available)
            throw new BpfFormatException(Format, (long)shoff,
                $"{count} section headers of 64 bytes at offset {shoff}, but only {available} fit in the file");

        var result = new RawSection[count];
        for (ulong i = 0; i < count; i++)
        {
            ulong at = shoff + i * ElfConstants.SectionHeaderSize;
            result[i] = new RawSection((long)at,
                r.U32(at, "sh_name"), r.U32(at + 4, "sh_type"), r.U64(at + 8, "sh_flags"), r.U64(at + 16, "sh_addr"),
                r.U64(at + 24, "sh_offset"), r.U64(at + 32, "sh_size"), r.U32(at + 40, "sh_link"),
                r.U32(at + 44, "sh_info"), r.U64(at + 48, "sh_addralign"), r.U64(at + 56, "sh_entsize"));
            if (result[i].HasFileBytes)
                r.Require(result[i].Offset, result[i].Size, $"the bytes of section {i}");
        }
        if (count > 0 && shstrndx >= count)
            throw new BpfFormatException(Format, 62, $"e_shstrndx below the section count {count}, got {shstrndx}");
        return result;
    }

    /// <summary>Section bodies (and the header table) may not overlap: real objects never do,
    /// and it bounds the bytes a corrupted header can make us copy by the file size.</summary>
    private static void CheckNoOverlap(RawSection[] headers, ulong shoff)
    {
        var spans = new List<(ulong Start, ulong End, long Where)>();
        for (int i = 0; i < headers.Length; i++)
            if (headers[i].HasFileBytes && headers[i].Size > 0)
                spans.Add((headers[i].Offset, headers[i].Offset + headers[i].Size, headers[i].HeaderOffset));
        if (headers.Length > 0)
            spans.Add((shoff, shoff + (ulong)headers.Length * ElfConstants.SectionHeaderSize, 40));
        spans.Add((0, ElfConstants.HeaderSize, 0));
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (int i = 1; i < spans.Count; i++)
            if (spans[i].Start < spans[i - 1].End)
                throw new BpfFormatException(Format, spans[i].Where,
                    $"section bytes not overlapping the ELF header, the section header table or another section (bytes {spans[i].Start}..{spans[i].End} overlap {spans[i - 1].Start}..{spans[i - 1].End})");
    }

    private static List<ElfSection> MaterializeSections(ElfByteReader r, RawSection[] headers, ushort shstrndx)
    {
        var result = new List<ElfSection>(headers.Length);
        if (headers.Length == 0) return result;
        var names = headers[shstrndx];
        if (names.Type == (uint)ElfSectionType.NoBits || (shstrndx != 0 && names.Type != (uint)ElfSectionType.StrTab))
            throw new BpfFormatException(Format, names.HeaderOffset + 4, $"section {shstrndx} (e_shstrndx) of type STRTAB, got type {names.Type}");
        byte[] nameTable = names.HasFileBytes ? r.Slice(names.Offset, names.Size, "the section-name string table") : Array.Empty<byte>();

        for (int i = 0; i < headers.Length; i++)
        {
            var h = headers[i];
            string name = i == 0 && h.Name == 0 ? "" : ElfByteReader.StringAt(nameTable, h.Name, (long)names.Offset, $"the name of section {i}");
            if (h.Align > 1 && (h.Align & (h.Align - 1)) != 0)
                throw new BpfFormatException(Format, h.HeaderOffset + 48, $"sh_addralign of section {name} 0 or a power of two, got {h.Align}");
            // Bounds were checked with the headers; bytes are copied only when someone reads them.
            result.Add(i == shstrndx
                ? new ElfSection(i, name, h.Name, (ElfSectionType)h.Type, (ElfSectionFlags)h.Flags, h.Addr, h.Offset,
                    h.Size, h.Link, h.Info, h.Align, h.EntSize, nameTable, h.HeaderOffset)
                : new ElfSection(i, name, h.Name, (ElfSectionType)h.Type, (ElfSectionFlags)h.Flags, h.Addr, h.Offset,
                    h.Size, h.Link, h.Info, h.Align, h.EntSize, r.Buffer, h.HasFileBytes, h.HeaderOffset));
        }
        return result;
    }

    private static (List<ElfSymbol>, int) ReadSymbols(ElfByteReader r, List<ElfSection> sections)
    {
        var symbols = new List<ElfSymbol>();
        int symtabIndex = -1;
        foreach (var s in sections)
        {
            if (s.Type != ElfSectionType.SymTab) continue;
            long hdr = s.HeaderOffset;
            if (symtabIndex >= 0)
                throw new BpfFormatException(Format, hdr, $"one SYMTAB section, found a second one ({s.Name})");
            symtabIndex = s.Index;
            if (s.EntrySize != ElfConstants.SymbolSize)
                throw new BpfFormatException(Format, hdr + 56, $"sh_entsize {ElfConstants.SymbolSize} for {s.Name}, got {s.EntrySize}");
            if (s.Size % ElfConstants.SymbolSize != 0)
                throw new BpfFormatException(Format, hdr + 32, $"a {s.Name} size that is a multiple of {ElfConstants.SymbolSize}, got {s.Size}");
            if (s.Link == 0 || s.Link >= sections.Count || sections[(int)s.Link].Type != ElfSectionType.StrTab)
                throw new BpfFormatException(Format, hdr + 40, $"sh_link of {s.Name} naming a STRTAB section, got {s.Link}");
            var strtab = sections[(int)s.Link];
            var sym = r; // read in place: the table's bounds were checked with its header
            int count = (int)(s.Size / ElfConstants.SymbolSize);
            for (int i = 0; i < count; i++)
            {
                long fileAt = (long)s.FileOffset + (long)i * ElfConstants.SymbolSize;
                ulong at = (ulong)fileAt;
                uint nameOff = sym.U32(at, "st_name");
                byte info = sym.U8(at + 4, "st_info");
                byte other = sym.U8(at + 5, "st_other");
                ushort shndx = sym.U16(at + 6, "st_shndx");
                ulong value = sym.U64(at + 8, "st_value");
                ulong size = sym.U64(at + 16, "st_size");
                if (shndx == ElfConstants.SectionExtendedIndex)
                    throw new BpfFormatException(Format, fileAt + 6, $"symbol {i}: a direct st_shndx (SHN_XINDEX tables are not used by BPF objects)");
                if (shndx != 0 && shndx < ElfConstants.SectionLoReserve && shndx >= sections.Count)
                    throw new BpfFormatException(Format, fileAt + 6, $"symbol {i}: st_shndx below the section count {sections.Count}, got {shndx}");
                string name = nameOff == 0 ? "" : ElfByteReader.StringAt(strtab.Data, nameOff, (long)strtab.FileOffset, $"the name of symbol {i}");
                symbols.Add(new ElfSymbol(i, name, nameOff, value, size, (ElfSymbolType)(info & 0xf),
                    (ElfSymbolBinding)(info >> 4), (ElfSymbolVisibility)(other & 0x3), shndx));
            }
        }
        return (symbols, symtabIndex);
    }

    private static List<ElfRelocationTable> ReadRelocations(ElfByteReader r, List<ElfSection> sections, List<ElfSymbol> symbols, int symtabIndex)
    {
        var tables = new List<ElfRelocationTable>();
        foreach (var s in sections)
        {
            if (s.Type != ElfSectionType.Rel && s.Type != ElfSectionType.Rela) continue;
            long hdr = s.HeaderOffset;
            bool rela = s.Type == ElfSectionType.Rela;
            int entSize = rela ? ElfConstants.RelaSize : ElfConstants.RelSize;
            if (s.EntrySize != (ulong)entSize)
                throw new BpfFormatException(Format, hdr + 56, $"sh_entsize {entSize} for {s.Name}, got {s.EntrySize}");
            if (s.Size % (ulong)entSize != 0)
                throw new BpfFormatException(Format, hdr + 32, $"a {s.Name} size that is a multiple of {entSize}, got {s.Size}");
            if (symtabIndex < 0 || s.Link != (uint)symtabIndex)
                throw new BpfFormatException(Format, hdr + 40, $"sh_link of {s.Name} naming the SYMTAB section ({symtabIndex}), got {s.Link}");
            if (s.Info == 0 || s.Info >= sections.Count)
                throw new BpfFormatException(Format, hdr + 44, $"sh_info of {s.Name} naming a section below {sections.Count}, got {s.Info}");
            var target = sections[(int)s.Info];
            int count = (int)(s.Size / (ulong)entSize);
            // Validate every entry now (errors belong to Read), decode the objects on first use.
            for (int i = 0; i < count; i++)
                ReadRelocation(r, s, target, i, entSize, rela, symbols.Count, materialize: false);
            var section = s;
            tables.Add(new ElfRelocationTable(s, (int)s.Info, () =>
            {
                var entries = new ElfRelocation[count];
                for (int i = 0; i < count; i++) entries[i] = ReadRelocation(r, section, target, i, entSize, rela, symbols.Count, materialize: true)!;
                return entries;
            }));
        }
        return tables;
    }

    private static ElfRelocation? ReadRelocation(ElfByteReader rel, ElfSection s, ElfSection target, int i, int entSize, bool rela,
        int symbolCount, bool materialize)
    {
        long fileAt = (long)s.FileOffset + (long)i * entSize;
        ulong at = (ulong)fileAt;
        ulong offset = rel.U64(at, "r_offset");
        ulong info = rel.U64(at + 8, "r_info");
        long addend = rela ? (long)rel.U64(at + 16, "r_addend") : 0;
        uint symIndex = (uint)(info >> 32);
        var kind = (BpfRelocationType)(uint)info;
        if (symIndex >= (uint)symbolCount)
            throw new BpfFormatException(Format, fileAt + 8, $"{s.Name} entry {i}: a symbol index below {symbolCount}, got {symIndex}");
        ulong width = PatchWidth(kind);
        if (offset > target.Size || width > target.Size - offset)
            throw new BpfFormatException(Format, fileAt,
                $"{s.Name} entry {i}: r_offset {offset} plus the {width}-byte patch of {kind} inside {target.Name} ({target.Size} bytes)");
        return materialize ? new ElfRelocation(offset, symIndex, kind, addend) : null;
    }

    /// <summary>How many bytes of the target a relocation patches (an LD_IMM64 spans two slots).</summary>
    public static ulong PatchWidth(BpfRelocationType type) => type switch
    {
        BpfRelocationType.R_BPF_64_64 => 16,
        BpfRelocationType.R_BPF_64_ABS64 => 8,
        BpfRelocationType.R_BPF_64_32 => 8,
        BpfRelocationType.R_BPF_64_ABS32 => 4,
        BpfRelocationType.R_BPF_64_NODYLD32 => 4,
        _ => 0,
    };
}
