using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Objects;

/// <summary>A statically initialised slot of a map-in-map or prog_array (".values = { [i] = &amp;x }").</summary>
public sealed class BpfMapInitialSlot
{
    public BpfMapInitialSlot(int index, string symbolName)
    {
        Index = index;
        SymbolName = symbolName ?? throw new ArgumentNullException(nameof(symbolName));
    }

    public int Index { get; }
    /// <summary>The inner map's or program's symbol name.</summary>
    public string SymbolName { get; }

    public override string ToString() => $"[{Index}] = {SymbolName}";
}

/// <summary>
/// A map definition: BTF-defined (a VAR in the ".maps" DATASEC whose struct members encode the
/// attributes, libbpf's convention) or legacy (a struct bpf_map_def in the "maps" section).
/// </summary>
public sealed class BpfMapDefinition
{
    public string Name { get; set; } = "";
    /// <summary>".maps", "maps" (legacy), or "" for an inner-map template.</summary>
    public string SectionName { get; set; } = BpfSectionNames.Maps;
    /// <summary>Byte offset of the definition in its section.</summary>
    public ulong SectionOffset { get; set; }
    /// <summary>Size in bytes of the definition in its section.</summary>
    public ulong DefinitionSize { get; set; }
    public BpfMapType Type { get; set; }
    public uint KeySize { get; set; }
    public uint ValueSize { get; set; }
    public uint MaxEntries { get; set; }
    public uint Flags { get; set; }
    public uint NumaNode { get; set; }
    public BpfMapPinning Pinning { get; set; }
    public ulong MapExtra { get; set; }
    /// <summary>BTF id of the key type (0 when given only as a size, or legacy).</summary>
    public uint KeyTypeId { get; set; }
    /// <summary>BTF id of the value type (0 when given only as a size, or legacy).</summary>
    public uint ValueTypeId { get; set; }
    /// <summary>BTF id of the VAR in the .maps DATASEC (0 for legacy maps).</summary>
    public uint BtfVarId { get; set; }
    /// <summary>For ARRAY_OF_MAPS / HASH_OF_MAPS: the inner map template from the "values" member.</summary>
    public BpfMapDefinition? InnerMap { get; set; }
    /// <summary>Statically initialised slots (relocations in .maps inside the "values" array).</summary>
    public List<BpfMapInitialSlot> InitialSlots { get; } = new();
    public bool IsLegacy => SectionName == BpfSectionNames.LegacyMaps;

    public override string ToString() =>
        $"{Name}: {Type} key={KeySize} value={ValueSize} max_entries={MaxEntries} flags=0x{Flags:x}";
}
