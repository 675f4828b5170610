using System.Collections.Generic;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Object.Objects;

/// <summary>Reads .data/.rodata/.bss (and ".name" variants) with the variables defined in them.</summary>
internal static class DataSectionReader
{
    /// <summary>A global-data section by name (.data/.rodata/.bss[.*], .kconfig) with bytes or NOBITS, not executable.</summary>
    public static bool IsDataSection(ElfSection s) =>
        (BpfSectionNames.IsGlobalData(s.Name) || s.Name == BpfSectionNames.Kconfig) && !s.IsExecutable &&
        (s.Type == ElfSectionType.ProgBits || s.Type == ElfSectionType.NoBits);

    public static List<BpfDataSection> ReadAll(ElfFile elf)
    {
        var result = new List<BpfDataSection>();
        foreach (var s in elf.Sections)
        {
            if (!IsDataSection(s)) continue;
            var variables = new List<BpfDataVariable>();
            foreach (var sym in elf.SymbolsIn(s.Index))
            {
                if (sym.Type == ElfSymbolType.Section || sym.Name.Length == 0) continue;
                if (sym.Value > s.Size || sym.Size > s.Size - sym.Value)
                    throw new BpfFormatException("ELF", s.HeaderOffset, $"variable {sym.Name} inside {s.Name} ({s.Size} bytes), got offset {sym.Value} size {sym.Size}");
                variables.Add(new BpfDataVariable(sym.Name, sym.Value, sym.Size, sym.Binding != ElfSymbolBinding.Local));
            }
            variables.Sort((a, b) => a.Offset.CompareTo(b.Offset));
            bool readOnly = !s.IsWritable;
            result.Add(new BpfDataSection(s.Name, s.Data, s.Size, s.Alignment, readOnly, variables));
        }
        return result;
    }
}
