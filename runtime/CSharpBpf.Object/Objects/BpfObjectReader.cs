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

        CheckUniqueSectionNames(elf);
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
        CheckReferences(obj);
        return obj;
    }

    /// <summary>Sections the model names (programs, data, maps, BTF, struct_ops...) must be named and unique,
    /// or a name would stand for two things.</summary>
    private static void CheckUniqueSectionNames(ElfFile elf)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in elf.Sections)
        {
            bool meaningful = BpfProgramReader.IsProgramSection(s) || DataSectionReader.IsDataSection(s) ||
                s.Name is BpfSectionNames.Maps or BpfSectionNames.LegacyMaps or BpfSectionNames.License or BpfSectionNames.Version
                    or BpfSectionNames.Btf or BpfSectionNames.BtfExt || BpfSectionNames.IsStructOps(s.Name);
            if (!meaningful) continue;
            if (s.Name.Length == 0)
                throw new BpfFormatException("ELF", s.HeaderOffset, $"a name for section {s.Index} ({s.Type}, flags {s.Flags})");
            if (!seen.Add(s.Name))
                throw new BpfFormatException("ELF", s.HeaderOffset, $"one section named {s.Name}, found a second one (section {s.Index})");
        }
    }

    /// <summary>Every map reference names a map defined at that offset (libbpf's check), and
    /// every statically initialised slot names a map or program of this object.</summary>
    private static void CheckReferences(BpfObjectFile obj)
    {
        // Functions, maps, variables, struct_ops variables and externs share one namespace: a
        // relocation names its target by symbol name, so a name must not stand for two things.
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Claim(string name, string what)
        {
            if (!names.Add(name))
                throw new BpfFormatException("ELF", obj.Elf is { SymbolTableIndex: >= 0 } e ? e.Sections[e.SymbolTableIndex].HeaderOffset : -1,
                    $"one definition of the symbol {name}, found a second one ({what})");
        }
        foreach (var p in obj.ProgramSections)
            foreach (var f in p.Functions) Claim(f.Name, "function in " + p.Name);
        foreach (var m in obj.Maps) Claim(m.Name, "map");
        foreach (var d in obj.DataSections)
            foreach (var v in d.Variables) Claim(v.Name, "variable in " + d.Name);
        foreach (var s in obj.StructOps) Claim(s.Name, "struct_ops variable");
        foreach (var x in obj.Externs) Claim(x.Name, "extern");

        foreach (var p in obj.ProgramSections)
            foreach (var r in p.Relocations)
                if (r.Kind == BpfRelocationKind.Map &&
                    !obj.Maps.Exists(m => m.Name == r.SymbolName && m.SectionName == r.TargetSectionName && (long)m.SectionOffset == r.TargetOffset))
                    throw new BpfFormatException("ELF", r.SourceOffset, $"a map definition for {r.SymbolName} at offset {r.TargetOffset} of {r.TargetSectionName} (instruction {r.InstructionIndex} of {p.Name})");
        foreach (var m in obj.Maps)
            foreach (var slot in m.InitialSlots)
                if (obj.FindMap(slot.SymbolName) is null && obj.FindFunction(slot.SymbolName) is null)
                    throw new BpfFormatException("ELF", -1, $"map {m.Name} slot {slot.Index}: a map or program named {slot.SymbolName}");
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
        if (btf is not null && btf.Type != ElfSectionType.NoBits)
            obj.Btf = InSection(btf, () => BtfReader.Read(btf.Data));
        var ext = elf.FindSection(BpfSectionNames.BtfExt);
        if (ext is null || ext.Type == ElfSectionType.NoBits) return;
        if (obj.Btf is null)
            throw new BpfFormatException("ELF", ext.HeaderOffset, "a .BTF section for the .BTF.ext section to refer to");
        var btfModel = obj.Btf;
        obj.BtfExt = InSection(ext, () => BtfExtReader.Read(ext.Data, btfModel));
    }

    /// <summary>BTF and BTF.ext errors carry offsets within their section; say where that section is.</summary>
    private static T InSection<T>(ElfSection section, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (BpfFormatException e)
        {
            throw new BpfFormatException(e.Format, e.Offset,
                $"{e.Expected} (offset within {section.Name}, which starts at file offset {section.FileOffset})");
        }
    }

    /// <summary>The name a symbol stands for: its own, or its section's for a section symbol.</summary>
    internal static string SymbolName(ElfFile elf, ElfSymbol sym) =>
        sym.Type == ElfSymbolType.Section && sym.SectionIndex < elf.Sections.Count ? elf.Sections[sym.SectionIndex].Name : sym.Name;

    internal static BtfType? TryType(BtfModel btf, uint id) => btf.TryGetType(id, out var t) ? t : null;
}
