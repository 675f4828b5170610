using System;
using System.Collections.Generic;
using System.Text;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Object.Objects;

/// <summary>
/// Writes a <see cref="BpfObjectFile"/> as an ELF relocatable object in clang's shape: program
/// sections with .rel sections, license, version, .maps / maps, global data, .struct_ops,
/// .BTF and .BTF.ext, and a symbol table naming every function, map, variable and extern.
/// Relocations name symbols by <see cref="BpfInstructionRelocation.SymbolName"/>: a function,
/// map, variable, extern, or a section (a section symbol, as clang uses for static targets).
/// </summary>
internal sealed class BpfObjectWriter
{
    private readonly BpfObjectFile _obj;
    private readonly ElfBuilder _elf;
    private readonly Dictionary<string, int> _sectionIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sectionSymbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _symbols = new(StringComparer.Ordinal);

    private BpfObjectWriter(BpfObjectFile obj)
    {
        _obj = obj;
        _elf = new ElfBuilder(obj.IsBigEndian);
    }

    public static byte[] Write(BpfObjectFile obj)
    {
        if (obj is null) throw new ArgumentNullException(nameof(obj));
        return new BpfObjectWriter(obj).Build();
    }

    private byte[] Build()
    {
        bool be = _obj.IsBigEndian;
        foreach (var p in _obj.ProgramSections)
            AddSection(p.Name, ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.ExecInstr, 8,
                InstructionCodec.Encode(p.Instructions, be));
        if (_obj.License is not null)
        {
            var text = Encoding.UTF8.GetBytes(_obj.License + "\0");
            AddSection(BpfSectionNames.License, ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.Write, 1, text);
        }
        if (_obj.KernelVersion is uint version)
        {
            var bytes = new byte[4];
            PutU32(bytes, 0, version);
            AddSection(BpfSectionNames.Version, ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.Write, 4, bytes);
        }
        var btfMaps = _obj.Maps.FindAll(m => !m.IsLegacy);
        var legacyMaps = _obj.Maps.FindAll(m => m.IsLegacy);
        if (btfMaps.Count > 0) AddMapsSection(btfMaps);
        if (legacyMaps.Count > 0) AddLegacyMapsSection(legacyMaps);
        foreach (var d in _obj.DataSections) AddDataSection(d);
        AddStructOpsSections();
        AddBtfSections();

        AddFunctionSymbols();
        AddMapSymbols();
        AddDataSymbols();
        foreach (var s in _obj.StructOps)
            _symbols[s.Name] = _elf.AddSymbol(s.Name, _sectionIds[s.SectionName], s.SectionOffset, (ulong)s.Data.Length,
                ElfSymbolType.Object, ElfSymbolBinding.Global);
        foreach (var e in _obj.Externs)
            _symbols[e.Name] = _elf.AddSpecialSymbol(e.Name, ElfConstants.SectionUndefined, 0, 0, ElfSymbolType.NoType,
                e.IsWeak ? ElfSymbolBinding.Weak : ElfSymbolBinding.Global);

        AddDatasecVariableSymbols();
        AddProgramRelocations();
        AddMapRelocations(btfMaps);
        AddStructOpsRelocations();
        return _elf.ToBytes();
    }

    private int AddSection(string name, ElfSectionType type, ElfSectionFlags flags, ulong alignment, byte[] data)
    {
        if (_sectionIds.ContainsKey(name))
            throw new InvalidOperationException($"two sections named {name}");
        int id = _elf.AddSection(name, type, flags, alignment, data);
        _sectionIds[name] = id;
        _sectionSymbols[name] = _elf.AddSymbol(name, id, 0, 0, ElfSymbolType.Section, ElfSymbolBinding.Local);
        return id;
    }

    private void AddMapsSection(List<BpfMapDefinition> maps)
    {
        ulong cursor = 0;
        foreach (var m in maps)
        {
            if (m.DefinitionSize == 0) // laid out here when the model came from a compiler, not a file
            {
                m.DefinitionSize = Math.Max(DefinitionSizeFromBtf(m), 8UL);
                m.SectionOffset = (cursor + 7) & ~7UL;
            }
            cursor = Math.Max(cursor, m.SectionOffset + m.DefinitionSize);
        }
        AddSection(BpfSectionNames.Maps, ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.Write, 8, new byte[cursor]);
    }

    private ulong DefinitionSizeFromBtf(BpfMapDefinition m)
    {
        if (_obj.Btf is null || m.BtfVarId == 0 || !_obj.Btf.TryGetType(m.BtfVarId, out var t) || t is not BtfVar v)
            throw new InvalidOperationException($"map {m.Name}: a BTF-defined map needs BtfVarId naming its VAR in the object's BTF");
        return _obj.Btf.SizeOf(v.TypeId);
    }

    private void AddLegacyMapsSection(List<BpfMapDefinition> maps)
    {
        ulong size = 0;
        foreach (var m in maps)
        {
            if (m.DefinitionSize == 0) { m.DefinitionSize = 20; m.SectionOffset = size; }
            size = Math.Max(size, m.SectionOffset + m.DefinitionSize);
        }
        var data = new byte[size];
        foreach (var m in maps)
        {
            int at = (int)m.SectionOffset;
            PutU32(data, at, (uint)m.Type);
            PutU32(data, at + 4, m.KeySize);
            PutU32(data, at + 8, m.ValueSize);
            PutU32(data, at + 12, m.MaxEntries);
            if (m.DefinitionSize >= 20) PutU32(data, at + 16, m.Flags);
        }
        AddSection(BpfSectionNames.LegacyMaps, ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.Write, 4, data);
    }

    private void AddDataSection(BpfDataSection d)
    {
        var flags = ElfSectionFlags.Alloc | (d.IsReadOnly ? ElfSectionFlags.None : ElfSectionFlags.Write);
        if (d.IsBss || (d.Data.Length == 0 && d.Name.StartsWith(BpfSectionNames.Bss, StringComparison.Ordinal)))
        {
            int id = _elf.AddNoBitsSection(d.Name, flags, d.Alignment, d.Size);
            _sectionIds[d.Name] = id;
            _sectionSymbols[d.Name] = _elf.AddSymbol(d.Name, id, 0, 0, ElfSymbolType.Section, ElfSymbolBinding.Local);
        }
        else AddSection(d.Name, ElfSectionType.ProgBits, flags, d.Alignment, d.Data);
    }

    /// <summary>Struct_ops variables, with their function-pointer slots cleared: the relocation
    /// names the program symbol directly, so the in-place addend must be 0.</summary>
    private Dictionary<string, byte[]> AddStructOpsSections()
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var group in new[] { BpfSectionNames.StructOps, BpfSectionNames.StructOpsLink })
        {
            var vars = _obj.StructOps.FindAll(s => s.SectionName == group);
            if (vars.Count == 0) continue;
            ulong size = 0;
            foreach (var v in vars) size = Math.Max(size, v.SectionOffset + (ulong)v.Data.Length);
            var data = new byte[size];
            foreach (var v in vars)
            {
                Buffer.BlockCopy(v.Data, 0, data, (int)v.SectionOffset, v.Data.Length);
                foreach (var m in v.FunctionMembers)
                    Array.Clear(data, (int)(v.SectionOffset + m.ByteOffset), 8);
            }
            AddSection(group, ElfSectionType.ProgBits, ElfSectionFlags.Alloc | ElfSectionFlags.Write, 8, data);
            result[group] = data;
        }
        return result;
    }

    private void AddBtfSections()
    {
        if (_obj.Btf is null)
        {
            if (_obj.BtfExt is not null) throw new InvalidOperationException(".BTF.ext needs a .BTF");
            return;
        }
        if (_obj.BtfExt is null)
        {
            AddSection(BpfSectionNames.Btf, ElfSectionType.ProgBits, ElfSectionFlags.None, 4, BtfWriter.Write(_obj.Btf, _obj.IsBigEndian));
            return;
        }
        var both = BtfWriter.Write(_obj.Btf, _obj.BtfExt, _obj.IsBigEndian);
        AddSection(BpfSectionNames.Btf, ElfSectionType.ProgBits, ElfSectionFlags.None, 4, both.Btf);
        AddSection(BpfSectionNames.BtfExt, ElfSectionType.ProgBits, ElfSectionFlags.None, 4, both.BtfExt);
    }

    private void AddFunctionSymbols()
    {
        foreach (var p in _obj.ProgramSections)
            foreach (var f in p.Functions)
                _symbols[f.Name] = _elf.AddSymbol(f.Name, _sectionIds[p.Name], (ulong)f.InstructionOffset * 8,
                    (ulong)f.InstructionCount * 8, ElfSymbolType.Func, f.IsGlobal ? ElfSymbolBinding.Global : ElfSymbolBinding.Local);
    }

    private void AddMapSymbols()
    {
        foreach (var m in _obj.Maps)
            _symbols[m.Name] = _elf.AddSymbol(m.Name, _sectionIds[m.SectionName], m.SectionOffset, m.DefinitionSize,
                ElfSymbolType.Object, ElfSymbolBinding.Global);
    }

    private void AddDataSymbols()
    {
        foreach (var d in _obj.DataSections)
            foreach (var v in d.Variables)
                _symbols[v.Name] = _elf.AddSymbol(v.Name, _sectionIds[d.Name], v.Offset, v.Size, ElfSymbolType.Object,
                    v.IsGlobal ? ElfSymbolBinding.Global : ElfSymbolBinding.Local);
    }

    /// <summary>
    /// libbpf finalises each DATASEC by looking every VAR up in the ELF symbol table (its offset
    /// comes from the symbol): a VAR without a symbol fails the load ("Error finalizing .BTF").
    /// Variables of sections the model does not describe by symbols (the license string's LICENSE)
    /// get an OBJECT symbol at the DATASEC's recorded offset and size.
    /// </summary>
    private void AddDatasecVariableSymbols()
    {
        if (_obj.Btf is null) return;
        foreach (var t in _obj.Btf.Types)
        {
            // Data, map and struct_ops sections get their symbols from the model's own lists (a
            // symbol there IS a variable/map to a reader); only the rest (license) needs this.
            if (t is not BtfDatasec ds || !_sectionIds.TryGetValue(ds.Name, out int section) || IsModelledBySymbols(ds.Name)) continue;
            foreach (var v in ds.Variables)
            {
                if (!_obj.Btf.TryGetType(v.TypeId, out var type) || type is not BtfVar var || var.Name.Length == 0 ||
                    _symbols.ContainsKey(var.Name) || _sectionSymbols.ContainsKey(var.Name)) continue;
                var binding = var.Linkage == BtfVarLinkage.Static ? ElfSymbolBinding.Local : ElfSymbolBinding.Global;
                _symbols[var.Name] = _elf.AddSymbol(var.Name, section, v.Offset, v.Size, ElfSymbolType.Object, binding);
            }
        }
    }

    private bool IsModelledBySymbols(string section) =>
        section is BpfSectionNames.Maps or BpfSectionNames.LegacyMaps || BpfSectionNames.IsStructOps(section) ||
        _obj.DataSections.Exists(d => d.Name == section);

    private int Symbol(string name)
    {
        if (_symbols.TryGetValue(name, out int id)) return id;
        if (_sectionSymbols.TryGetValue(name, out id)) return id;
        throw new InvalidOperationException($"relocation against unknown symbol {name}: not a function, map, variable, extern or section of this object");
    }

    private void AddProgramRelocations()
    {
        foreach (var p in _obj.ProgramSections)
            foreach (var r in p.Relocations)
                _elf.AddRelocation(_sectionIds[p.Name], (ulong)r.InstructionIndex * 8, Symbol(r.SymbolName), r.ElfType);
    }

    private void AddMapRelocations(List<BpfMapDefinition> maps)
    {
        foreach (var m in maps)
        {
            if (m.InitialSlots.Count == 0) continue;
            ulong values = ValuesOffset(m);
            foreach (var slot in m.InitialSlots)
                _elf.AddRelocation(_sectionIds[BpfSectionNames.Maps], m.SectionOffset + values + (ulong)slot.Index * 8,
                    Symbol(slot.SymbolName), BpfRelocationType.R_BPF_64_ABS64);
        }
    }

    private ulong ValuesOffset(BpfMapDefinition m)
    {
        if (_obj.Btf is not null && _obj.Btf.TryGetType(m.BtfVarId, out var t) && t is BtfVar v &&
            _obj.Btf.ResolveModifiers(v.TypeId) is BtfStruct s && s.FindMember("values") is { } member)
            return member.BitOffset / 8;
        throw new InvalidOperationException($"map {m.Name}: initial slots need a BTF 'values' member");
    }

    private void AddStructOpsRelocations()
    {
        foreach (var s in _obj.StructOps)
            foreach (var m in s.FunctionMembers)
                _elf.AddRelocation(_sectionIds[s.SectionName], s.SectionOffset + m.ByteOffset, Symbol(m.ProgramName),
                    BpfRelocationType.R_BPF_64_ABS64);
    }

    private void PutU32(byte[] b, int at, uint v)
    {
        if (_obj.IsBigEndian) { b[at] = (byte)(v >> 24); b[at + 1] = (byte)(v >> 16); b[at + 2] = (byte)(v >> 8); b[at + 3] = (byte)v; }
        else { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24); }
    }
}
