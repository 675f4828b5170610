using System;
using System.Collections.Generic;
using System.Text;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using BpfMapType = CSharpBpf.Linux.Maps.BpfMapType;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// The object model's maps and global-data sections as the loader's <see cref="MapDefinition"/>s,
/// with the kernel's defaults libbpf applies (fd-valued maps have 4-byte values, numa_node sets
/// BPF_F_NUMA_NODE, global data is a one-entry array, .rodata read-only for programs).
/// </summary>
internal static class MapDefinitionBuilder
{
    /// <summary>BTF-defined maps (.maps), with inner-map templates and statically initialised slots.</summary>
    public static IEnumerable<MapDefinition> BtfMaps(BpfObjectFile file)
    {
        foreach (var m in file.Maps)
        {
            var def = FromModel(m);
            def.SectionName = m.SectionName;
            def.SectionOffset = (int)m.SectionOffset;
            def.SectionSize = (int)m.DefinitionSize;
            foreach (var slot in m.InitialSlots) def.InitialSlots[slot.Index] = slot.SymbolName;
            yield return def;
        }
    }

    private static MapDefinition FromModel(BpfMapDefinition m)
    {
        var flags = (BpfMapFlags)m.Flags;
        if (m.NumaNode != 0) flags |= BpfMapFlags.NumaNode;
        var s = new BpfMapSpec
        {
            Name = m.Name,
            Type = (BpfMapType)(uint)m.Type,
            KeySize = m.KeySize,
            ValueSize = m.ValueSize,
            MaxEntries = m.MaxEntries,
            Flags = flags,
            NumaNode = m.NumaNode,
            MapExtra = m.MapExtra,
        };
        if (s.Type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps)
            s = s with { KeySize = s.KeySize == 0 ? 4 : s.KeySize, ValueSize = 4 };
        if (s.Type is BpfMapType.ProgArray)
            s = s with { KeySize = s.KeySize == 0 ? 4 : s.KeySize, ValueSize = s.ValueSize == 0 ? 4 : s.ValueSize };
        return new MapDefinition
        {
            Name = m.Name,
            Kind = MapKind.User,
            Spec = s,
            Pinning = (PinningMode)(uint)m.Pinning,
            BtfKeyTypeId = m.KeyTypeId,
            BtfValueTypeId = m.ValueTypeId,
            InnerMap = m.InnerMap is null ? null : FromModel(m.InnerMap),
        };
    }

    /// <summary>.data/.rodata/.bss (and ".name" variants) as one-entry array maps holding their bytes.</summary>
    public static IEnumerable<MapDefinition> GlobalData(BpfObjectFile file, string objectName)
    {
        foreach (var section in file.DataSections)
        {
            MapKind? kind = GlobalKind(section.Name);
            if (kind is null || section.Size == 0) continue; // .kconfig values are externs, not data
            var data = new byte[section.Size];
            Buffer.BlockCopy(section.Data, 0, data, 0, Math.Min(section.Data.Length, data.Length));
            var def = new MapDefinition
            {
                Name = section.Name,
                Kind = kind.Value,
                SectionName = section.Name,
                SectionSize = data.Length,
                InitialData = data,
                Spec = new BpfMapSpec
                {
                    Name = InternalMapName(objectName, section.Name),
                    Type = BpfMapType.Array,
                    KeySize = 4,
                    ValueSize = (uint)data.Length,
                    MaxEntries = 1,
                    Flags = kind == MapKind.Rodata ? BpfMapFlags.RdonlyProg : BpfMapFlags.None,
                },
            };
            foreach (var v in section.Variables)
                def.GlobalVariables[v.Name] = new GlobalVariable(v.Name, (int)v.Offset, (int)v.Size);
            if (file.Btf?.Find(section.Name, BtfKind.Datasec) is BtfDatasec ds) def.BtfValueTypeId = ds.Id;
            yield return def;
        }
    }

    private static MapKind? GlobalKind(string section)
    {
        static bool Is(string s, string p) => s == p || s.StartsWith(p + ".", StringComparison.Ordinal);
        if (Is(section, BpfSectionNames.Data)) return MapKind.Data;
        if (Is(section, BpfSectionNames.ReadOnlyData)) return MapKind.Rodata;
        if (Is(section, BpfSectionNames.Bss)) return MapKind.Bss;
        return null;
    }

    /// <summary>libbpf's internal map name: up to 8 characters of the object name, then the section name.</summary>
    internal static string InternalMapName(string objectName, string section)
    {
        var prefix = new StringBuilder();
        foreach (char c in objectName)
        {
            if (prefix.Length == Math.Min(8, 15 - Math.Min(section.Length, 15))) break;
            prefix.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }
        return prefix + section;
    }
}
