using System;
using System.Collections.Generic;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using BtfModel = CSharpBpf.Object.Btf.Btf;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// Reads BTF-defined maps: each VAR of the ".maps" DATASEC is a struct whose members encode the
/// attributes (libbpf's __uint(name, N) = "int (*name)[N]", __type(name, T) = "T *name",
/// __array(values, T) = "T *values[]"), placed at its ELF symbol's offset in .maps.
/// </summary>
internal sealed class BtfMapReader
{
    private const int MaxInnerDepth = 1;
    private readonly ElfFile _elf;
    private readonly BtfModel? _btf;

    public BtfMapReader(ElfFile elf, BtfModel? btf)
    {
        _elf = elf;
        _btf = btf;
    }

    public List<BpfMapDefinition> ReadAll()
    {
        var result = new List<BpfMapDefinition>();
        var section = _elf.FindSection(BpfSectionNames.Maps);
        if (section is null) return result;
        if (_btf is null)
            throw new BpfFormatException("ELF", section.HeaderOffset, "a .BTF section describing the BTF-defined maps in .maps");
        var datasec = _btf.Find(BpfSectionNames.Maps, BtfKind.Datasec) as BtfDatasec;
        if (datasec is null)
            throw new BpfFormatException("BTF", -1, "a DATASEC named .maps describing the .maps section");

        var symbols = new Dictionary<string, ElfSymbol>(StringComparer.Ordinal);
        foreach (var sym in _elf.SymbolsIn(section.Index))
            if (sym.Type != ElfSymbolType.Section && sym.Name.Length > 0) symbols[sym.Name] = sym;

        foreach (var v in datasec.Variables)
        {
            if (BpfObjectReader.TryType(_btf, v.TypeId) is not BtfVar var)
                throw new BpfFormatException("BTF", datasec.SourceOffset, $"a VAR in DATASEC .maps, got type id {v.TypeId}");
            if (!symbols.TryGetValue(var.Name, out var sym))
                throw new BpfFormatException("ELF", section.HeaderOffset, $"a symbol in .maps for the BTF map variable {var.Name}");
            var def = ParseDefinition(var.Name, var.TypeId, 0);
            def.SectionName = BpfSectionNames.Maps;
            def.SectionOffset = sym.Value;
            def.DefinitionSize = sym.Size;
            def.BtfVarId = var.Id;
            if (sym.Value > section.Size || sym.Size > section.Size - sym.Value)
                throw new BpfFormatException("ELF", section.HeaderOffset, $"map {var.Name} inside .maps ({section.Size} bytes), got offset {sym.Value} size {sym.Size}");
            result.Add(def);
        }
        ReadInitialSlots(section, result);
        result.Sort((a, b) => a.SectionOffset.CompareTo(b.SectionOffset));
        return result;
    }

    private BpfMapDefinition ParseDefinition(string name, uint typeId, int depth)
    {
        if (Resolve(typeId) is not BtfStruct def)
            throw new BpfFormatException("BTF", -1, $"map {name}: a struct describing the map, got type id {typeId}");
        var map = new BpfMapDefinition { Name = name };
        foreach (var m in def.Members)
        {
            switch (m.Name)
            {
                case "type": map.Type = (BpfMapType)IntAttribute(name, m, def); break;
                case "max_entries": map.MaxEntries = IntAttribute(name, m, def); break;
                case "map_flags": map.Flags = IntAttribute(name, m, def); break;
                case "numa_node": map.NumaNode = IntAttribute(name, m, def); break;
                case "pinning": map.Pinning = (BpfMapPinning)IntAttribute(name, m, def); break;
                case "map_extra": map.MapExtra = IntAttribute(name, m, def); break;
                case "key_size": map.KeySize = IntAttribute(name, m, def); break;
                case "value_size": map.ValueSize = IntAttribute(name, m, def); break;
                case "key":
                    map.KeyTypeId = PointeeId(name, m, def);
                    map.KeySize = SizeOf(name, m, map.KeyTypeId, def);
                    break;
                case "value":
                    map.ValueTypeId = PointeeId(name, m, def);
                    map.ValueSize = SizeOf(name, m, map.ValueTypeId, def);
                    break;
                case "values":
                    ParseValues(name, m, map, depth, def);
                    break;
                default:
                    // libbpf rejects unknown attributes; so do we, naming the member.
                    throw new BpfFormatException("BTF", def.SourceOffset, $"map {name}: a known map attribute, got member '{m.Name}'");
            }
        }
        return map;
    }

    /// <summary>"values": an array of pointers to the inner map definition or to a program's FUNC_PROTO.</summary>
    private void ParseValues(string name, BtfMember m, BpfMapDefinition map, int depth, BtfStruct def)
    {
        if (Resolve(m.TypeId) is not BtfArray array || Resolve(array.ElementTypeId) is not BtfPtr ptr)
            throw new BpfFormatException("BTF", def.SourceOffset, $"map {name}: 'values' as an array of pointers");
        map.ValueSize = 4; // map-in-map and prog_array values are fds
        var pointee = Resolve(ptr.TypeId);
        if (pointee is BtfStruct)
        {
            if (depth >= MaxInnerDepth)
                throw new BpfFormatException("BTF", def.SourceOffset, $"map {name}: an inner map without a further inner map");
            var inner = ParseDefinition(name + ".inner", ptr.TypeId, depth + 1);
            inner.SectionName = "";
            map.InnerMap = inner;
        }
        else if (pointee is not BtfFuncProto)
            throw new BpfFormatException("BTF", def.SourceOffset, $"map {name}: 'values' pointing at an inner map struct or a function prototype");
    }

    private void ReadInitialSlots(ElfSection section, List<BpfMapDefinition> maps)
    {
        var table = _elf.FindRelocationsFor(section.Index);
        if (table is null) return;
        for (int i = 0; i < table.Entries.Count; i++)
        {
            var r = table.Entries[i];
            long where = (long)table.Section.FileOffset + (long)i * ElfConstants.RelSize;
            var map = maps.Find(x => r.Offset >= x.SectionOffset && r.Offset < x.SectionOffset + x.DefinitionSize);
            if (map is null || r.Type != BpfRelocationType.R_BPF_64_ABS64)
                throw new BpfFormatException("ELF", where, "an R_BPF_64_ABS64 relocation inside a map definition's 'values' array in .maps");
            ulong valuesOffset = ValuesMemberOffset(map);
            ulong at = r.Offset - map.SectionOffset;
            if (at < valuesOffset || (at - valuesOffset) % 8 != 0)
                throw new BpfFormatException("ELF", where, $"a relocation on a pointer slot of map {map.Name}'s 'values' array, got byte {at}");
            var sym = _elf.Symbols[(int)r.SymbolIndex];
            map.InitialSlots.Add(new BpfMapInitialSlot((int)((at - valuesOffset) / 8), BpfObjectReader.SymbolName(_elf, sym)));
        }
    }

    private ulong ValuesMemberOffset(BpfMapDefinition map)
    {
        if (Resolve(((BtfVar)_btf![map.BtfVarId]).TypeId) is BtfStruct s)
            foreach (var m in s.Members)
                if (m.Name == "values") return m.BitOffset / 8;
        throw new BpfFormatException("BTF", -1, $"map {map.Name}: a 'values' member for the initialised slots in .maps");
    }

    /// <summary>__uint(name, N) is "int (*name)[N]": a pointer to an array whose length is N.</summary>
    private uint IntAttribute(string map, BtfMember m, BtfStruct def)
    {
        if (Resolve(m.TypeId) is BtfPtr ptr && Resolve(ptr.TypeId) is BtfArray array) return array.Length;
        throw new BpfFormatException("BTF", def.SourceOffset, $"map {map}: attribute '{m.Name}' as a pointer to an array (__uint)");
    }

    private uint PointeeId(string map, BtfMember m, BtfStruct def)
    {
        if (Resolve(m.TypeId) is BtfPtr ptr) return ptr.TypeId;
        throw new BpfFormatException("BTF", def.SourceOffset, $"map {map}: attribute '{m.Name}' as a pointer to its type (__type)");
    }

    private uint SizeOf(string map, BtfMember m, uint typeId, BtfStruct def)
    {
        ulong size;
        try
        {
            size = _btf!.SizeOf(typeId);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new BpfFormatException("BTF", def.SourceOffset, $"map {map}: a sized '{m.Name}' type (type id {typeId}): {e.Message}");
        }
        if (size > uint.MaxValue) throw new BpfFormatException("BTF", def.SourceOffset, $"map {map}: a '{m.Name}' type smaller than 4 GiB");
        return (uint)size;
    }

    private BtfType Resolve(uint id)
    {
        try
        {
            return _btf!.ResolveModifiers(id);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new BpfFormatException("BTF", -1, $"a valid type id, got {id}: {e.Message}");
        }
    }
}
