using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;
using BtfModel = CSharpBpf.Object.Btf.Btf;
using IrMapType = CSharpBpf.Compiler.Ir.BpfMapType;
using ObjMapType = CSharpBpf.Object.Objects.BpfMapType;

namespace CSharpBpf.Compiler.Emit;

/// <summary>
/// Compiled functions + module → a <see cref="BpfObjectFile"/> in clang's shape, written as ELF
/// by the object model's writer: each program in its libbpf section, subprograms and [Global]
/// functions in .text, maps as BTF-defined structs in .maps (libbpf's __uint/__type encoding),
/// globals in .data/.rodata/.bss with VAR/DATASEC, kfuncs as extern FUNCs in .ksyms, the
/// license, and BTF.ext func_info, line_info (file, line text, line, column) and CO-RE relocations.
/// </summary>
public static class ObjectWriter
{
    /// <summary>Runs the backend over <paramref name="module"/> and writes the ELF object.</summary>
    public static byte[] Compile(IrModule module, TargetOptions? options = null)
    {
        var functions = BpfBackend.Compile(module, options);
        return Write(module, functions);
    }

    public static byte[] Write(IrModule module, IReadOnlyList<CompiledFunction> functions) => Build(module, functions).ToBytes();

    public static BpfObjectFile Build(IrModule module, IReadOnlyList<CompiledFunction> functions)
    {
        var btf = new BtfModel();
        var types = new BtfTypeEmitter(btf);
        var ext = new BtfExt();
        var obj = new BpfObjectFile { License = module.License, Btf = btf, BtfExt = ext };

        var funcIds = new Dictionary<IrFunction, uint>();
        foreach (var cf in functions)
        {
            var f = cf.Source;
            var linkage = f.Kind == FunctionKind.Subprogram ? BtfFuncLinkage.Static : BtfFuncLinkage.Global;
            funcIds[f] = btf.AddFunc(f.Name, types.Proto(f.ReturnType, f.Prototype.Parameters), linkage).Id;
        }

        // Sections: programs in their own (libbpf) sections, in order; functions called from them in .text.
        var sections = new List<(string name, List<CompiledFunction> funcs)>();
        foreach (var cf in functions)
        {
            string sec = cf.Source.Kind == FunctionKind.Program
                ? cf.Source.SectionName ?? throw new InvalidOperationException($"program {cf.Name} has no section name")
                : BpfSectionNames.Text;
            var group = sections.Find(s => s.name == sec);
            if (group.funcs is null) sections.Add((sec, new List<CompiledFunction> { cf }));
            else group.funcs.Add(cf);
        }
        var placement = new Dictionary<IrFunction, (string section, int slot)>();
        foreach (var (name, funcs) in sections)
        {
            int slot = 0;
            foreach (var cf in funcs)
            {
                placement[cf.Source] = (name, slot);
                slot += cf.Code.Length;
            }
        }

        var globals = LayoutGlobals(module, obj, types);
        var externs = new Dictionary<IrFunction, uint>();
        foreach (var (name, funcs) in sections)
        {
            var code = new List<Instruction>();
            var bfuncs = new List<BpfFunction>();
            var relocs = new List<BpfInstructionRelocation>();
            var funcInfo = ext.FuncInfoSection(name);
            foreach (var cf in funcs)
            {
                int baseSlot = code.Count;
                var insns = (Instruction[])cf.Code.Clone();
                foreach (var r in cf.Relocs)
                    relocs.Add(Relocation(r, baseSlot, insns, placement, globals, externs, btf, types));
                code.AddRange(insns);
                bfuncs.Add(new BpfFunction(cf.Name, name, baseSlot, insns.Length, cf.Source.Kind != FunctionKind.Subprogram));
                funcInfo.Records.Add(new BtfFuncInfo((uint)baseSlot * 8, funcIds[cf.Source]));
                foreach (var l in cf.Lines)
                    ext.LineInfoSection(name).Records.Add(new BtfLineInfo((uint)(baseSlot + l.Index) * 8, l.Location.File,
                        LineText(module, l.Location), (uint)l.Location.Line, (uint)Math.Min(Math.Max(l.Location.Column, 0), 0x3ff)));
                foreach (var c in cf.Core)
                    ext.CoreReloSection(name).Records.Add(new BtfCoreRelo((uint)(baseSlot + c.Index) * 8, types.Id(c.Access.RootType),
                        c.Access.AccessString, (BpfCoreReloKind)(uint)c.Access.Kind));
            }
            obj.ProgramSections.Add(new BpfProgramSection(name, code, bfuncs, relocs));
        }

        AddMaps(module, obj, types);
        AddStructOps(module, obj, types, placement);
        if (externs.Count > 0)
        {
            var ksyms = btf.AddDatasec(BpfSectionNames.Ksyms, 0);
            foreach (var kv in externs)
            {
                ksyms.AddVariable(kv.Value, 0, 0);
                obj.Externs.Add(new BpfExtern(kv.Key.Name, BpfExternKind.Function, false, kv.Value, BpfSectionNames.Ksyms));
            }
        }
        return obj;
    }

    private static BpfInstructionRelocation Relocation(InstructionReloc r, int baseSlot, Instruction[] insns,
        Dictionary<IrFunction, (string section, int slot)> placement, Dictionary<GlobalVariable, (string section, int offset)> globals,
        Dictionary<IrFunction, uint> externs, BtfModel btf, BtfTypeEmitter types)
    {
        int at = baseSlot + r.Index;
        switch (r.Reloc.Kind)
        {
            case RelocKind.MapFd:
                return new BpfInstructionRelocation(at, BpfRelocationType.R_BPF_64_64, r.Reloc.Symbol, BpfRelocationKind.Map, BpfSectionNames.Maps, 0);
            case RelocKind.MapValue:
            {
                var g = (GlobalVariable)r.Reloc.Target;
                var (sec, off) = globals[g];
                return new BpfInstructionRelocation(at, BpfRelocationType.R_BPF_64_64, g.Name, BpfRelocationKind.GlobalData, sec, off);
            }
            case RelocKind.LocalCall:
            {
                var callee = (IrFunction)r.Reloc.Target;
                if (!placement.TryGetValue(callee, out var p))
                    throw new InvalidOperationException($"call to {callee.Name}, which was not compiled into this object");
                return new BpfInstructionRelocation(at, BpfRelocationType.R_BPF_64_32, callee.Name, BpfRelocationKind.SubprogramCall, p.section, p.slot);
            }
            case RelocKind.KfuncCall:
            {
                var k = (IrFunction)r.Reloc.Target;
                if (!externs.ContainsKey(k))
                    externs[k] = btf.AddFunc(k.Name, types.Proto(k.ReturnType, k.Prototype.Parameters), BtfFuncLinkage.Extern).Id;
                return new BpfInstructionRelocation(at, BpfRelocationType.R_BPF_64_32, k.Name, BpfRelocationKind.KfuncCall, "", 0);
            }
            default:
            {
                // Function address (callbacks): clang relocates against the .text section symbol
                // with the byte offset in imm, which is what libbpf expects for static functions.
                var target = (IrFunction)r.Reloc.Target;
                var p = placement[target];
                insns[r.Index] = insns[r.Index].WithImm(p.slot * 8);
                return new BpfInstructionRelocation(at, BpfRelocationType.R_BPF_64_64, p.section, BpfRelocationKind.SubprogramAddress, p.section, p.slot);
            }
        }
    }

    private static Dictionary<GlobalVariable, (string, int)> LayoutGlobals(IrModule module, BpfObjectFile obj, BtfTypeEmitter types)
    {
        var result = new Dictionary<GlobalVariable, (string, int)>();
        foreach (var section in new[] { GlobalSection.Data, GlobalSection.Rodata, GlobalSection.Bss })
        {
            var vars = module.Globals.Where(g => g.Section == section).ToList();
            if (vars.Count == 0) continue;
            string name = vars[0].SectionName;
            int size = 0;
            var placed = new List<(GlobalVariable g, int off)>();
            foreach (var g in vars)
            {
                int align = Math.Max(1, g.Type.Align);
                size = (size + align - 1) / align * align;
                placed.Add((g, size));
                size += Math.Max(g.Type.Size, 1);
            }
            var data = section == GlobalSection.Bss ? Array.Empty<byte>() : new byte[size];
            var datasec = types.Btf.AddDatasec(name, (uint)size);
            var bvars = new List<BpfDataVariable>();
            foreach (var (g, off) in placed)
            {
                if (g.InitialValue is not null && data.Length > 0) Buffer.BlockCopy(g.InitialValue, 0, data, off, g.InitialValue.Length);
                var v = types.Btf.AddVar(g.Name, types.Id(g.Type), BtfVarLinkage.GlobalAllocated);
                datasec.AddVariable(v.Id, (uint)off, (uint)g.Type.Size);
                bvars.Add(new BpfDataVariable(g.Name, (ulong)off, (ulong)g.Type.Size, true));
                result[g] = (name, off);
            }
            obj.DataSections.Add(new BpfDataSection(name, data, (ulong)size, 8, section == GlobalSection.Rodata, bvars));
        }
        return result;
    }

    private static void AddMaps(IrModule module, BpfObjectFile obj, BtfTypeEmitter types)
    {
        if (module.Maps.Count == 0) return;
        var btf = types.Btf;
        var datasec = btf.AddDatasec(BpfSectionNames.Maps, 0);
        ulong offset = 0;
        foreach (var m in module.Maps)
        {
            var members = new List<(string, uint)> { ("type", types.UintMarker((uint)m.Type)) };
            uint keySize = 0, valueSize = 0, keyId = 0, valueId = 0;
            if (m.Key is not null)
            {
                keyId = types.Id(m.Key);
                keySize = (uint)m.Key.Size;
                members.Add(("key", btf.AddPtr(keyId).Id));
            }
            else if (m.KeySize is int ks)
            {
                keySize = (uint)ks;
                members.Add(("key_size", types.UintMarker(keySize)));
            }
            if (m.Value is not null)
            {
                valueId = types.Id(m.Value);
                valueSize = (uint)m.Value.Size;
                members.Add(("value", btf.AddPtr(valueId).Id));
            }
            else if (m.ValueSize is int vs)
            {
                valueSize = (uint)vs;
                members.Add(("value_size", types.UintMarker(valueSize)));
            }
            members.Add(("max_entries", types.UintMarker((uint)m.MaxEntries)));
            if (m.Flags != 0) members.Add(("map_flags", types.UintMarker(m.Flags)));
            if (m.Pinning != 0) members.Add(("pinning", types.UintMarker((uint)m.Pinning)));

            var s = btf.AddStruct("", (uint)(members.Count * 8));
            for (int i = 0; i < members.Count; i++) s.AddMember(members[i].Item1, members[i].Item2, (uint)(i * 64));
            var v = btf.AddVar(m.Name, s.Id, BtfVarLinkage.GlobalAllocated);
            datasec.AddVariable(v.Id, (uint)offset, s.Size);
            obj.Maps.Add(new BpfMapDefinition
            {
                Name = m.Name,
                SectionName = BpfSectionNames.Maps,
                SectionOffset = offset,
                DefinitionSize = s.Size,
                Type = (ObjMapType)(uint)m.Type,
                KeySize = keySize,
                ValueSize = valueSize,
                MaxEntries = (uint)m.MaxEntries,
                Flags = m.Flags,
                Pinning = (BpfMapPinning)(uint)m.Pinning,
                KeyTypeId = keyId,
                ValueTypeId = valueId,
                BtfVarId = v.Id,
            });
            offset += s.Size;
        }
        datasec.Size = (uint)offset;
    }

    private static void AddStructOps(IrModule module, BpfObjectFile obj, BtfTypeEmitter types,
        Dictionary<IrFunction, (string section, int slot)> placement)
    {
        foreach (var group in module.StructOps.GroupBy(s => s.SectionName))
        {
            var datasec = types.Btf.AddDatasec(group.Key, 0);
            ulong offset = 0;
            foreach (var so in group)
            {
                offset = (offset + 7) & ~7UL;
                uint typeId = types.Id(so.Type);
                var v = types.Btf.AddVar(so.Name, typeId, BtfVarLinkage.GlobalAllocated);
                datasec.AddVariable(v.Id, (uint)offset, (uint)so.Type.Size);
                var members = new List<BpfStructOpsMember>();
                foreach (var kv in so.Programs)
                {
                    var member = so.Type.Member(kv.Key)
                        ?? throw new InvalidOperationException($"struct_ops {so.Name}: {so.Type.Name} has no member {kv.Key}");
                    if (!placement.ContainsKey(kv.Value))
                        throw new InvalidOperationException($"struct_ops {so.Name}.{kv.Key}: program {kv.Value.Name} was not compiled into this object");
                    members.Add(new BpfStructOpsMember(kv.Key, (ulong)member.ByteOffset, kv.Value.Name));
                }
                obj.StructOps.Add(new BpfStructOpsMap(so.Name, group.Key, so.Type.Name, typeId, offset, (byte[])so.Data.Clone(), members));
                offset += (ulong)so.Type.Size;
            }
            datasec.Size = (uint)offset;
        }
    }

    private static string LineText(IrModule module, SourceLocation loc)
    {
        if (!module.SourceTexts.TryGetValue(loc.File, out var text) || loc.Line <= 0) return "";
        int line = 1, start = 0;
        while (line < loc.Line)
        {
            int nl = text.IndexOf('\n', start);
            if (nl < 0) return "";
            start = nl + 1;
            line++;
        }
        int end = text.IndexOf('\n', start);
        var s = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
        return s.TrimEnd('\r');
    }
}
