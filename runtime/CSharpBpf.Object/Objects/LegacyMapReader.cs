using System.Collections.Generic;
using CSharpBpf.Object.Elf;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// Reads the legacy "maps" section: one struct bpf_map_def per symbol (type, key_size,
/// value_size, max_entries, map_flags as u32s; older objects stop after max_entries).
/// </summary>
internal static class LegacyMapReader
{
    private const ulong MinimumDefinitionSize = 16;

    public static List<BpfMapDefinition> ReadAll(ElfFile elf)
    {
        var result = new List<BpfMapDefinition>();
        var section = elf.FindSection(BpfSectionNames.LegacyMaps);
        if (section is null) return result;
        var reader = new ElfByteReaderView(section.Data, elf.IsBigEndian, (long)section.FileOffset);
        foreach (var sym in elf.SymbolsIn(section.Index))
        {
            if (sym.Type == ElfSymbolType.Section || sym.Name.Length == 0) continue;
            if (sym.Size < MinimumDefinitionSize || sym.Value > section.Size || sym.Size > section.Size - sym.Value)
                throw new BpfFormatException("ELF", (long)section.FileOffset + (long)sym.Value,
                    $"legacy map {sym.Name}: a definition of at least {MinimumDefinitionSize} bytes inside the maps section ({section.Size} bytes), got offset {sym.Value} size {sym.Size}");
            ulong at = sym.Value;
            result.Add(new BpfMapDefinition
            {
                Name = sym.Name,
                SectionName = BpfSectionNames.LegacyMaps,
                SectionOffset = at,
                DefinitionSize = sym.Size,
                Type = (BpfMapType)reader.U32(at),
                KeySize = reader.U32(at + 4),
                ValueSize = reader.U32(at + 8),
                MaxEntries = reader.U32(at + 12),
                Flags = sym.Size >= 20 ? reader.U32(at + 16) : 0,
            });
        }
        result.Sort((a, b) => a.SectionOffset.CompareTo(b.SectionOffset));
        return result;
    }
}
