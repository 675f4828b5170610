using System;

namespace CSharpBpf.Object.Elf;

/// <summary>
/// Writes an <see cref="ElfFile"/> as ELF64 bytes in its byte order. Section bytes, names,
/// links and symbol/relocation tables are taken as they are in the model (their
/// <see cref="ElfSection.Data"/> is authoritative); file offsets are laid out afresh: the header,
/// then each section in index order at its alignment, then the section header table.
/// </summary>
public static class ElfWriter
{
    public static byte[] Write(ElfFile file)
    {
        if (file is null) throw new ArgumentNullException(nameof(file));
        bool be = file.IsBigEndian;
        var sections = file.Sections;
        var offsets = new ulong[sections.Count];

        ulong cursor = ElfConstants.HeaderSize;
        for (int i = 0; i < sections.Count; i++)
        {
            var s = sections[i];
            if (s.Type == ElfSectionType.Null && i == 0) continue;
            cursor = ElfByteWriter.AlignUp(cursor, Math.Max(1UL, s.Alignment));
            offsets[i] = cursor;
            if (HasFileBytes(s)) cursor += (ulong)s.Data.LongLength;
        }
        ulong shoff = sections.Count == 0 ? 0 : ElfByteWriter.AlignUp(cursor, 8);
        ulong total = shoff + (ulong)sections.Count * ElfConstants.SectionHeaderSize;
        if (sections.Count == 0) total = cursor;
        var bytes = new byte[checked((int)total)];

        WriteHeader(file, bytes, shoff, be);
        for (int i = 0; i < sections.Count; i++)
        {
            var s = sections[i];
            if (HasFileBytes(s)) ElfByteWriter.Copy(s.Data, bytes, (long)offsets[i]);
            long h = (long)shoff + (long)i * ElfConstants.SectionHeaderSize;
            ElfByteWriter.U32(bytes, h, s.NameOffset, be);
            ElfByteWriter.U32(bytes, h + 4, (uint)s.Type, be);
            ElfByteWriter.U64(bytes, h + 8, (ulong)s.Flags, be);
            ElfByteWriter.U64(bytes, h + 16, s.Address, be);
            ElfByteWriter.U64(bytes, h + 24, offsets[i], be);
            ElfByteWriter.U64(bytes, h + 32, s.Size, be);
            ElfByteWriter.U32(bytes, h + 40, s.Link, be);
            ElfByteWriter.U32(bytes, h + 44, s.Info, be);
            ElfByteWriter.U64(bytes, h + 48, s.Alignment, be);
            ElfByteWriter.U64(bytes, h + 56, s.EntrySize, be);
        }
        return bytes;
    }

    private static bool HasFileBytes(ElfSection s) => s.Type != ElfSectionType.NoBits && s.Type != ElfSectionType.Null;

    private static void WriteHeader(ElfFile file, byte[] b, ulong shoff, bool be)
    {
        b[0] = 0x7f; b[1] = (byte)'E'; b[2] = (byte)'L'; b[3] = (byte)'F';
        b[4] = ElfConstants.ClassElf64;
        b[5] = be ? ElfConstants.DataBigEndian : ElfConstants.DataLittleEndian;
        b[6] = ElfConstants.CurrentVersion;
        b[7] = file.OsAbi;
        b[8] = file.AbiVersion;
        ElfByteWriter.U16(b, 16, file.Type, be);
        ElfByteWriter.U16(b, 18, file.Machine, be);
        ElfByteWriter.U32(b, 20, file.Version, be);
        ElfByteWriter.U64(b, 24, file.Entry, be);
        ElfByteWriter.U64(b, 32, 0, be); // e_phoff: relocatable objects have no program headers
        ElfByteWriter.U64(b, 40, shoff, be);
        ElfByteWriter.U32(b, 48, file.Flags, be);
        ElfByteWriter.U16(b, 52, ElfConstants.HeaderSize, be);
        ElfByteWriter.U16(b, 54, 0, be);
        ElfByteWriter.U16(b, 56, 0, be);
        ElfByteWriter.U16(b, 58, file.Sections.Count == 0 ? (ushort)0 : (ushort)ElfConstants.SectionHeaderSize, be);
        if (file.Sections.Count >= ElfConstants.SectionLoReserve)
            throw new NotSupportedException($"{file.Sections.Count} sections need extended section numbering, which this writer does not emit");
        ElfByteWriter.U16(b, 60, (ushort)file.Sections.Count, be);
        ElfByteWriter.U16(b, 62, (ushort)file.SectionNameTableIndex, be);
    }
}
