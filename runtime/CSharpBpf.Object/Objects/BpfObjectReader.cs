using System;
using System.Collections.Generic;
using System.Text;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using BtfModel = CSharpBpf.Object.Btf.Btf;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// Turns an <see cref="ElfFile"/> into a <see cref="BpfObjectFile"/>, following libbpf's reading
/// of clang's output. Each concern lives in its own reader; this class sequences them.
/// </summary>
internal static class BpfObjectReader
{
    public static BpfObjectFile Read(byte[] bytes)
    {
        var elf = ElfReader.Read(bytes);
        if (!elf.IsBpf)
            throw new BpfFormatException("ELF", 18, $"e_machine {ElfConstants.MachineBpf} (EM_BPF), got {elf.Machine}");
        if (elf.Type != ElfConstants.TypeRelocatable)
            throw new BpfFormatException("ELF", 16, $"e_type 1 (ET_REL, a relocatable object), got {elf.Type}");

        var obj = new BpfObjectFile { IsBigEndian = elf.IsBigEndian, Elf = elf };
        obj.License = ReadLicense(elf);
        obj.KernelVersion = ReadVersion(elf);
        ReadBtf(elf, obj);

        var programs = new BpfProgramReader(elf);
        obj.ProgramSections.AddRange(programs.ReadAll());
        obj.Maps.AddRange(new BtfMapReader(elf, obj.Btf).ReadAll());
        obj.Maps.AddRange(LegacyMapReader.ReadAll(elf));
        obj.DataSections.AddRange(DataSectionReader.ReadAll(elf));
        obj.StructOps.AddRange(new StructOpsReader(elf, obj.Btf, obj.ProgramSections).ReadAll());
        obj.Externs.AddRange(ExternReader.ReadAll(elf, obj.Btf, obj.ProgramSections));
        return obj;
    }

    private static string? ReadLicense(ElfFile elf)
    {
        var s = elf.FindSection(BpfSectionNames.License);
        if (s is null) return null;
        int end = Array.IndexOf(s.Data, (byte)0);
        if (end < 0)
            throw new BpfFormatException("ELF", (long)s.FileOffset, "a NUL-terminated string in the license section");
        return Encoding.UTF8.GetString(s.Data, 0, end);
    }

    private static uint? ReadVersion(ElfFile elf)
    {
        var s = elf.FindSection(BpfSectionNames.Version);
        if (s is null) return null;
        if (s.Data.Length != 4)
            throw new BpfFormatException("ELF", (long)s.FileOffset, $"a 4-byte version section, got {s.Data.Length} bytes");
        var d = s.Data;
        return elf.IsBigEndian ? (uint)(d[0] << 24 | d[1] << 16 | d[2] << 8 | d[3]) : (uint)(d[0] | d[1] << 8 | d[2] << 16 | d[3] << 24);
    }

    private static void ReadBtf(ElfFile elf, BpfObjectFile obj)
    {
        var btf = elf.FindSection(BpfSectionNames.Btf);
        if (btf is not null && btf.Type != ElfSectionType.NoBits) obj.Btf = BtfReader.Read(btf.Data);
        var ext = elf.FindSection(BpfSectionNames.BtfExt);
        if (ext is null || ext.Type == ElfSectionType.NoBits) return;
        if (obj.Btf is null)
            throw new BpfFormatException("ELF", ext.HeaderOffset, "a .BTF section for the .BTF.ext section to refer to");
        obj.BtfExt = BtfExtReader.Read(ext.Data, obj.Btf);
    }

    /// <summary>The name a symbol stands for: its own, or its section's for a section symbol.</summary>
    internal static string SymbolName(ElfFile elf, ElfSymbol sym) =>
        sym.Type == ElfSymbolType.Section && sym.SectionIndex < elf.Sections.Count ? elf.Sections[sym.SectionIndex].Name : sym.Name;

    internal static BtfType? TryType(BtfModel btf, uint id) => btf.TryGetType(id, out var t) ? t : null;
}
