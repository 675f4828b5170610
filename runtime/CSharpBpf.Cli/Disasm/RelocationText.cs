using System.Collections.Generic;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Cli.Disasm;

/// <summary>How llvm-objdump -r names an ELF relocation: its type and what it points at.</summary>
internal static class RelocationText
{
    public static string TypeName(BpfRelocationType type) => type switch
    {
        BpfRelocationType.None => "R_BPF_NONE",
        BpfRelocationType.R_BPF_64_64 => "R_BPF_64_64",
        BpfRelocationType.R_BPF_64_ABS64 => "R_BPF_64_ABS64",
        BpfRelocationType.R_BPF_64_ABS32 => "R_BPF_64_ABS32",
        BpfRelocationType.R_BPF_64_NODYLD32 => "R_BPF_64_NODYLD32",
        BpfRelocationType.R_BPF_64_32 => "R_BPF_64_32",
        _ => "Unknown",
    };

    /// <summary>
    /// The symbol's name (its section's name for a section symbol), "*ABS*" for symbol 0, then the
    /// addend as "+0x10"/"-0x10" when a RELA entry has one.
    /// </summary>
    public static string Value(ElfFile elf, ElfRelocation rel, bool hasAddends)
    {
        string target;
        if (rel.SymbolIndex == 0)
            target = "*ABS*";
        else if (rel.SymbolIndex >= elf.Symbols.Count)
            target = $"<invalid symbol index {rel.SymbolIndex}>";
        else
        {
            var sym = elf.Symbols[(int)rel.SymbolIndex];
            target = sym.Type == ElfSymbolType.Section && sym.SectionIndex < elf.Sections.Count
                ? elf.Sections[sym.SectionIndex].Name
                : sym.Name;
        }
        if (hasAddends && rel.Addend != 0)
            target += rel.Addend < 0 ? $"-0x{unchecked((ulong)-rel.Addend):x}" : $"+0x{rel.Addend:x}";
        return target;
    }

    /// <summary>Every relocation patching a section, sorted by offset (stable), as llvm gathers them.</summary>
    public static List<(ElfRelocation Rel, bool HasAddends)> For(ElfFile elf, int sectionIndex)
    {
        var list = new List<(ElfRelocation, bool)>();
        foreach (var table in elf.RelocationTables)
            if (table.TargetSectionIndex == sectionIndex)
                foreach (var r in table.Entries)
                    list.Add((r, table.HasAddends));
        return StableSortByOffset(list);
    }

    static List<(ElfRelocation, bool)> StableSortByOffset(List<(ElfRelocation Rel, bool HasAddends)> list)
    {
        var indexed = new List<(ElfRelocation, bool, int)>();
        for (int i = 0; i < list.Count; i++) indexed.Add((list[i].Rel, list[i].HasAddends, i));
        indexed.Sort((a, b) => a.Item1.Offset != b.Item1.Offset ? a.Item1.Offset.CompareTo(b.Item1.Offset) : a.Item3.CompareTo(b.Item3));
        var result = new List<(ElfRelocation, bool)>(indexed.Count);
        foreach (var (r, h, _) in indexed) result.Add((r, h));
        return result;
    }
}
