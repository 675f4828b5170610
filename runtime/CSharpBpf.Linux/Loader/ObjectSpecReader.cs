using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Object;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Linux.Loader;

/// <summary>ELF object (as clang emits it) → <see cref="ObjectSpec"/>: functions by symbol, maps from .maps BTF, global data, struct_ops, externs.</summary>
internal static class ObjectSpecReader
{
    public static ObjectSpec Read(byte[] bytes, string name)
    {
        var elf = ElfReader.Read(bytes);
        if (!elf.IsBpf) throw new BpfFormatException("ELF", 18, $"e_machine 247 (EM_BPF), found {elf.Machine}");
        var btfSection = elf.FindSection(".BTF");
        Btf? btf = btfSection is null ? null : BtfReader.Read(btfSection.Data);
        var extSection = elf.FindSection(".BTF.ext");
        BtfExt? ext = extSection is null || btf is null ? null : BtfExtReader.Read(extSection.Data, btf);
        var licenseSection = elf.FindSection("license");
        string license = licenseSection is null ? "" : Encoding.ASCII.GetString(licenseSection.Data).TrimEnd('\0');

        var legacy = elf.FindSection("maps");
        if (legacy is not null && legacy.Size > 0)
            throw new BpfFormatException("ELF", (long)legacy.FileOffset, "BTF-defined maps in '.maps'; the legacy 'maps' section (struct bpf_map_def) is not supported, as in libbpf 1.x");
        var spec = new ObjectSpec(name, elf, btf, ext, license);
        ReadFunctions(spec);
        ReadBtfMaps(spec);
        ReadGlobalData(spec);
        ReadStructOps(spec);
        ReadExterns(spec);
        BtfFixups.Apply(spec);
        return spec;
    }

    private static void ReadFunctions(ObjectSpec spec)
    {
        var elf = spec.Elf;
        foreach (var section in elf.Sections)
        {
            if (!section.IsExecutable || section.Type != ElfSectionType.ProgBits || section.Data.Length == 0) continue;
            var insns = InstructionCodec.Decode(section.Data, elf.IsBigEndian);
            bool isText = section.Name == ".text";
            SectionKind? kind = isText ? null : SectionKind.Parse(section.Name);
            if (!isText && kind is null)
                throw new BpfFormatException("ELF", (long)section.FileOffset, $"a program section name libbpf knows (e.g. xdp, sockops, cgroup_skb/egress, struct_ops/NAME); '{section.Name}' is not one");
            var funcs = elf.SymbolsIn(section.Index).Where(s => s.Type == ElfSymbolType.Func).OrderBy(s => s.Value).ToList();
            if (funcs.Count == 0 && !isText)
                throw new BpfFormatException("ELF", (long)section.FileOffset, $"a FUNC symbol naming the program in section '{section.Name}'");
            foreach (var f in funcs)
            {
                int start = (int)(f.Value / 8);
                int count = f.Size > 0 ? (int)(f.Size / 8) : insns.Length - start;
                if (start < 0 || start + count > insns.Length)
                    throw new BpfFormatException("ELF", (long)section.FileOffset, $"function '{f.Name}' inside section '{section.Name}' ({insns.Length} instructions)");
                var fn = new FunctionSpec(f.Name, section, start, insns.Skip(start).Take(count).ToArray(), kind);
                (isText ? spec.Subprograms : spec.Programs).Add(fn);
            }
        }
    }

    private static BtfDatasec? Datasec(Btf? btf, string name) => btf?.Find(name, BtfKind.Datasec) as BtfDatasec;

    private static void ReadBtfMaps(ObjectSpec spec)
    {
        var section = spec.Elf.FindSection(".maps");
        if (section is null) return;
        var btf = spec.Btf ?? throw new BpfFormatException("ELF", (long)section.FileOffset, ".BTF describing the .maps section (BTF-defined maps need BTF)");
        var datasec = Datasec(btf, ".maps") ?? throw new BpfFormatException("BTF", 0, "a DATASEC '.maps' for the .maps section");
        var symbols = spec.Elf.SymbolsIn(section.Index).ToList();
        foreach (var v in datasec.Variables)
        {
            if (btf[v.TypeId] is not BtfVar var) continue;
            var sym = symbols.FirstOrDefault(s => s.Name == var.Name);
            var def = ParseMapStruct(btf, var.Name, var.TypeId, spec, section);
            def.SectionIndex = section.Index;
            def.SectionOffset = sym is not null ? (int)sym.Value : (int)v.Offset;
            // A map with a statically initialised `values` array extends past its struct (the symbol size covers it).
            def.SectionSize = (int)System.Math.Max(btf.SizeOf(var.TypeId), sym?.Size ?? 0);
            spec.Maps.Add(def);
        }
        // prog_array and map-in-map initial values: R_BPF_64_ABS64 relocations into a map's `values` array.
        var rel = spec.Elf.FindRelocationsFor(section.Index);
        if (rel is null) return;
        foreach (var r in rel.Entries)
        {
            var map = spec.Maps.FirstOrDefault(m => r.Offset >= (ulong)m.SectionOffset && r.Offset < (ulong)(m.SectionOffset + m.SectionSize));
            if (map is null) throw new BpfFormatException("ELF", (long)r.Offset, "a relocation in .maps that falls inside a map definition");
            var st = (BtfStruct)btf.ResolveModifiers(btf.Find(map.Name, BtfKind.Var) is BtfVar vv ? vv.TypeId : 0);
            var values = st.FindMember("values") ?? throw new BpfFormatException("ELF", (long)r.Offset, $"map '{map.Name}' to have a 'values' member for its initial slots");
            int slot = (int)((r.Offset - (ulong)map.SectionOffset - values.ByteOffset) / 8);
            map.InitialSlots[slot] = spec.Elf.Symbols[(int)r.SymbolIndex];
        }
    }

    private static MapDefinition ParseMapStruct(Btf btf, string name, uint typeId, ObjectSpec spec, ElfSection section)
    {
        if (btf.ResolveModifiers(typeId) is not BtfStruct st)
            throw new BpfFormatException("BTF", 0, $"map '{name}' in .maps to be a struct (libbpf's __uint/__type form)");
        var def = new MapDefinition { Name = name, Kind = MapKind.User };
        var s = new BpfMapSpec { Name = name };
        foreach (var m in st.Members)
        {
            switch (m.Name)
            {
                case "type": s = s with { Type = (BpfMapType)UIntAttr(btf, name, m) }; break;
                case "max_entries": s = s with { MaxEntries = UIntAttr(btf, name, m) }; break;
                case "map_flags": s = s with { Flags = (BpfMapFlags)UIntAttr(btf, name, m) }; break;
                case "numa_node": s = s with { NumaNode = UIntAttr(btf, name, m), Flags = s.Flags | BpfMapFlags.NumaNode }; break;
                case "key_size": s = s with { KeySize = UIntAttr(btf, name, m) }; break;
                case "value_size": s = s with { ValueSize = UIntAttr(btf, name, m) }; break;
                case "map_extra": s = s with { MapExtra = UIntAttr(btf, name, m) }; break;
                case "pinning": def.Pinning = (PinningMode)UIntAttr(btf, name, m); break;
                case "key":
                {
                    uint t = PointeeOf(btf, name, m);
                    def.BtfKeyTypeId = t;
                    s = s with { KeySize = (uint)btf.SizeOf(t) };
                    break;
                }
                case "value":
                {
                    uint t = PointeeOf(btf, name, m);
                    def.BtfValueTypeId = t;
                    s = s with { ValueSize = (uint)btf.SizeOf(t) };
                    break;
                }
                case "values":
                {
                    // __array(values, struct inner_def) → inner map template; __array(values, int (void *)) → prog_array.
                    if (btf.ResolveModifiers(m.TypeId) is BtfArray arr && btf.ResolveModifiers(arr.ElementTypeId) is BtfPtr p
                        && btf.ResolveModifiers(p.TypeId) is BtfStruct)
                    {
                        def.InnerMap = ParseMapStruct(btf, name + ".inner", p.TypeId, spec, section);
                    }
                    break;
                }
                default:
                    throw new BpfFormatException("BTF", 0, $"a map attribute libbpf knows; map '{name}' has unknown member '{m.Name}'");
            }
        }
        if (s.Type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps)
        {
            if (s.KeySize == 0) s = s with { KeySize = 4 };
            s = s with { ValueSize = 4 };
        }
        if (s.Type is BpfMapType.ProgArray)
            s = s with { KeySize = s.KeySize == 0 ? 4 : s.KeySize, ValueSize = s.ValueSize == 0 ? 4 : s.ValueSize };
        def.Spec = s;
        return def;
    }

    // __uint(name, N) is encoded as `int (*name)[N]`: the value is the array length.
    private static uint UIntAttr(Btf btf, string map, BtfMember m)
    {
        if (btf.ResolveModifiers(m.TypeId) is BtfPtr p && btf.ResolveModifiers(p.TypeId) is BtfArray a) return a.Length;
        throw new BpfFormatException("BTF", 0, $"map '{map}' attribute '{m.Name}' as __uint(...) (pointer to array)");
    }

    private static uint PointeeOf(Btf btf, string map, BtfMember m)
    {
        if (btf.ResolveModifiers(m.TypeId, skipTypedefs: false) is BtfPtr p) return p.TypeId;
        throw new BpfFormatException("BTF", 0, $"map '{map}' attribute '{m.Name}' as __type(...) (a pointer)");
    }

    private static void ReadGlobalData(ObjectSpec spec)
    {
        foreach (var section in spec.Elf.Sections)
        {
            MapKind? kind = GlobalKind(section.Name);
            if (kind is null || !section.IsAllocated) continue;
            var data = section.Type == ElfSectionType.NoBits ? new byte[section.Size] : (byte[])section.Data.Clone();
            if (data.Length == 0) continue;
            var def = new MapDefinition
            {
                Name = section.Name,
                Kind = kind.Value,
                SectionIndex = section.Index,
                SectionSize = data.Length,
                InitialData = data,
                Spec = new BpfMapSpec
                {
                    Name = InternalMapName(spec.Name, section.Name),
                    Type = BpfMapType.Array,
                    KeySize = 4,
                    ValueSize = (uint)data.Length,
                    MaxEntries = 1,
                    Flags = kind == MapKind.Rodata ? BpfMapFlags.RdonlyProg : BpfMapFlags.None,
                },
            };
            foreach (var sym in spec.Elf.SymbolsIn(section.Index))
            {
                if (sym.Type == ElfSymbolType.Object && sym.Name.Length > 0)
                    def.GlobalVariables[sym.Name] = new GlobalVariable(sym.Name, (int)sym.Value, (int)sym.Size);
            }
            var ds = Datasec(spec.Btf, section.Name);
            if (ds is not null) def.BtfValueTypeId = ds.Id;
            spec.Maps.Add(def);
        }
    }

    private static MapKind? GlobalKind(string section)
    {
        static bool Is(string s, string p) => s == p || s.StartsWith(p + ".", StringComparison.Ordinal);
        if (Is(section, ".data")) return MapKind.Data;
        if (Is(section, ".rodata")) return MapKind.Rodata;
        if (Is(section, ".bss")) return MapKind.Bss;
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

    private static void ReadStructOps(ObjectSpec spec)
    {
        foreach (var section in spec.Elf.Sections)
        {
            if (section.Name != ".struct_ops" && section.Name != ".struct_ops.link") continue;
            var btf = spec.Btf ?? throw new BpfFormatException("ELF", (long)section.FileOffset, ".BTF describing the struct_ops section");
            var ds = Datasec(btf, section.Name) ?? throw new BpfFormatException("BTF", 0, $"a DATASEC '{section.Name}'");
            var rel = spec.Elf.FindRelocationsFor(section.Index);
            var syms = spec.Elf.SymbolsIn(section.Index).ToList();
            foreach (var v in ds.Variables)
            {
                if (btf[v.TypeId] is not BtfVar var) continue;
                if (btf.ResolveModifiers(var.TypeId) is not BtfStruct st)
                    throw new BpfFormatException("BTF", 0, $"struct_ops variable '{var.Name}' to be a struct");
                var sym = syms.FirstOrDefault(s => s.Name == var.Name);
                int offset = sym is not null ? (int)sym.Value : (int)v.Offset;
                int size = (int)st.Size;
                var data = section.Data.Skip(offset).Take(size).ToArray();
                var map = new MapDefinition
                {
                    Name = var.Name,
                    Kind = MapKind.StructOps,
                    SectionIndex = section.Index,
                    SectionOffset = offset,
                    SectionSize = size,
                    Spec = new BpfMapSpec
                    {
                        Name = var.Name,
                        Type = BpfMapType.StructOps,
                        KeySize = 4,
                        MaxEntries = 1,
                        Flags = section.Name == ".struct_ops.link" ? BpfMapFlags.Link : BpfMapFlags.None,
                    },
                };
                var def = new StructOpsDefinition(var.Name, CoreNames.Essential(st.Name), st, data, section.Name == ".struct_ops.link", map);
                if (rel is not null)
                {
                    foreach (var r in rel.Entries)
                    {
                        if (r.Offset < (ulong)offset || r.Offset >= (ulong)(offset + size)) continue;
                        uint bitOff = (uint)(r.Offset - (ulong)offset) * 8;
                        var member = st.Members.FirstOrDefault(m => m.BitOffset == bitOff)
                            ?? throw new BpfFormatException("ELF", (long)r.Offset, $"a relocation in struct_ops '{var.Name}' at a member boundary");
                        var target = spec.Elf.Symbols[(int)r.SymbolIndex];
                        string progName = target.Type == ElfSymbolType.Func ? target.Name
                            : spec.Programs.FirstOrDefault(p => p.Section.Index == target.SectionIndex && p.StartInsn == (int)(target.Value / 8))?.Name
                              ?? throw new BpfFormatException("ELF", (long)r.Offset, $"struct_ops member '{member.Name}' to point at a program");
                        def.Programs[member.Name] = progName;
                    }
                }
                spec.StructOps.Add(def);
                spec.Maps.Add(map);
            }
        }
    }

    private static void ReadExterns(ObjectSpec spec)
    {
        var ksyms = Datasec(spec.Btf, ".ksyms");
        var kconfig = Datasec(spec.Btf, ".kconfig");
        for (int i = 1; i < spec.Elf.Symbols.Count; i++)
        {
            var sym = spec.Elf.Symbols[i];
            if (!sym.IsUndefined || sym.Name.Length == 0) continue;
            bool weak = sym.Binding == ElfSymbolBinding.Weak;
            uint id = 0;
            bool isFunc = false, isKconfig = false;
            if (spec.Btf is not null)
            {
                foreach (var (ds, kc) in new[] { (ksyms, false), (kconfig, true) })
                {
                    if (ds is null) continue;
                    foreach (var v in ds.Variables)
                    {
                        var t = spec.Btf[v.TypeId];
                        if (t.Name != sym.Name) continue;
                        id = t.Id;
                        isFunc = t is BtfFunc;
                        isKconfig = kc;
                    }
                }
            }
            if (id == 0) isFunc = sym.Type == ElfSymbolType.Func;
            spec.Externs[i] = new ExternSymbol(sym.Name, isFunc, isKconfig, id, weak);
        }
    }
}
