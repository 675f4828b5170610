using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Elf;

/// <summary>One REL (or RELA) entry: where to patch, with which symbol, how.</summary>
public sealed class ElfRelocation
{
    public ElfRelocation(ulong offset, uint symbolIndex, BpfRelocationType type, long addend = 0)
    {
        Offset = offset;
        SymbolIndex = symbolIndex;
        Type = type;
        Addend = addend;
    }

    /// <summary>r_offset: byte offset within the target section.</summary>
    public ulong Offset { get; }
    public uint SymbolIndex { get; }
    public BpfRelocationType Type { get; }
    /// <summary>r_addend for RELA sections; 0 for REL (BPF uses REL: the addend is in the patched bytes).</summary>
    public long Addend { get; }

    public override string ToString() => $"0x{Offset:x} {Type} sym#{SymbolIndex}";
}

/// <summary>A relocation section (.rel&lt;name&gt;) parsed: the section it patches and its entries.</summary>
public sealed class ElfRelocationTable
{
    private IReadOnlyList<ElfRelocation>? _entries;
    private readonly Func<IReadOnlyList<ElfRelocation>>? _decode;

    public ElfRelocationTable(ElfSection section, int targetSectionIndex, IReadOnlyList<ElfRelocation> entries)
    {
        Section = section ?? throw new ArgumentNullException(nameof(section));
        TargetSectionIndex = targetSectionIndex;
        _entries = entries ?? throw new ArgumentNullException(nameof(entries));
    }

    /// <summary>The reader's constructor: entries already validated, decoded on first access (a
    /// DWARF table of thousands of entries costs nothing unless someone reads it).</summary>
    internal ElfRelocationTable(ElfSection section, int targetSectionIndex, Func<IReadOnlyList<ElfRelocation>> decode)
    {
        Section = section;
        TargetSectionIndex = targetSectionIndex;
        _decode = decode;
    }

    /// <summary>The REL/RELA section itself.</summary>
    public ElfSection Section { get; }
    /// <summary>sh_info: index of the section these entries patch.</summary>
    public int TargetSectionIndex { get; }
    public IReadOnlyList<ElfRelocation> Entries => _entries ??= _decode!();
    public bool HasAddends => Section.Type == ElfSectionType.Rela;
}
