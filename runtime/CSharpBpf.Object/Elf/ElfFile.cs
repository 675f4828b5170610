using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Elf;

/// <summary>
/// A parsed ELF64 relocatable object: header fields, sections in index order (index 0 is the
/// NULL section), the .symtab symbols in index order (index 0 is the null symbol) and every
/// relocation section parsed. Built by <see cref="ElfReader"/> or <see cref="ElfBuilder"/>,
/// written by <see cref="ElfWriter"/>.
/// </summary>
public sealed class ElfFile
{
    private readonly Dictionary<string, ElfSection> _byName = new(StringComparer.Ordinal);

    public ElfFile(bool isBigEndian, ushort type, ushort machine, uint version, byte osAbi, byte abiVersion,
        ulong entry, uint flags, int sectionNameTableIndex,
        IReadOnlyList<ElfSection> sections, IReadOnlyList<ElfSymbol> symbols, int symbolTableIndex,
        IReadOnlyList<ElfRelocationTable> relocationTables)
    {
        IsBigEndian = isBigEndian;
        Type = type;
        Machine = machine;
        Version = version;
        OsAbi = osAbi;
        AbiVersion = abiVersion;
        Entry = entry;
        Flags = flags;
        SectionNameTableIndex = sectionNameTableIndex;
        Sections = sections ?? throw new ArgumentNullException(nameof(sections));
        Symbols = symbols ?? throw new ArgumentNullException(nameof(symbols));
        SymbolTableIndex = symbolTableIndex;
        RelocationTables = relocationTables ?? throw new ArgumentNullException(nameof(relocationTables));
        foreach (var s in sections)
            if (!_byName.ContainsKey(s.Name)) _byName[s.Name] = s;
    }

    public bool IsBigEndian { get; }
    /// <summary>e_type (1 = ET_REL).</summary>
    public ushort Type { get; }
    /// <summary>e_machine (247 = EM_BPF).</summary>
    public ushort Machine { get; }
    public uint Version { get; }
    public byte OsAbi { get; }
    public byte AbiVersion { get; }
    public ulong Entry { get; }
    public uint Flags { get; }
    /// <summary>e_shstrndx: the string table holding section names (clang shares .strtab).</summary>
    public int SectionNameTableIndex { get; }
    public IReadOnlyList<ElfSection> Sections { get; }
    public IReadOnlyList<ElfSymbol> Symbols { get; }
    /// <summary>Index of the SYMTAB section, or -1 when there is none.</summary>
    public int SymbolTableIndex { get; }
    public IReadOnlyList<ElfRelocationTable> RelocationTables { get; }

    public bool IsBpf => Machine == ElfConstants.MachineBpf;

    /// <summary>The first section with this name, or null.</summary>
    public ElfSection? FindSection(string name) => _byName.TryGetValue(name, out var s) ? s : null;

    /// <summary>The relocation table patching section <paramref name="targetIndex"/>, or null.</summary>
    public ElfRelocationTable? FindRelocationsFor(int targetIndex)
    {
        foreach (var t in RelocationTables)
            if (t.TargetSectionIndex == targetIndex) return t;
        return null;
    }

    /// <summary>Symbols defined in a section, in symbol-table order.</summary>
    public IEnumerable<ElfSymbol> SymbolsIn(int sectionIndex)
    {
        foreach (var s in Symbols)
            if (s.Index != 0 && s.SectionIndex == sectionIndex) yield return s;
    }
}
