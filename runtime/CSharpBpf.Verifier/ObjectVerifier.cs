using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Verifier;

/// <summary>
/// Verifies the programs of a <see cref="BpfObjectFile"/>: links each entry function with the .text
/// subprograms (appended, as libbpf does), turns map and global-data relocations into ld_imm64 map
/// references, derives the program type from the section name and struct_ops argument types from BTF,
/// and maps instructions back to line_info for source locations.
/// </summary>
internal static class ObjectVerifier
{
    /// <summary>Keys of global data sections in the spec's map table (after the real maps).</summary>
    private const int DataMapBase = 1 << 20;
    private const int KconfigMap = DataMapBase - 1;

    public static IReadOnlyList<VerificationResult> VerifyAll(BpfObjectFile obj)
    {
        if (obj is null) throw new ArgumentNullException(nameof(obj));
        var results = new List<VerificationResult>();
        foreach (var fn in obj.Programs)
        {
            var linked = Link(obj, fn);
            if (linked == null) continue;
            results.Add(BpfVerifier.Verify(linked.Value.Program, linked.Value.Spec));
        }
        return results;
    }

    /// <summary>The linked program and its spec, or null when the section's program type is not modelled.</summary>
    public static (IReadOnlyList<Instruction> Program, VerifierProgramSpec Spec)? Link(BpfObjectFile obj, BpfFunction fn)
    {
        var section = obj.FindProgramSection(fn.SectionName)!;
        if (!SectionProgramTypes.TryGet(section.Name, out var type, out var attach)) return null;

        var maps = new Dictionary<int, MapDescriptor>();
        for (int i = 0; i < obj.Maps.Count; i++)
        {
            var m = obj.Maps[i];
            maps[i] = Describe(m);
        }
        for (int i = 0; i < obj.DataSections.Count; i++)
        {
            var d = obj.DataSections[i];
            maps[DataMapBase + i] = new MapDescriptor(d.Name, BpfMapType.Array, 4, (uint)d.Size, 1,
                IsReadOnly: d.IsReadOnly || d.Name.StartsWith(BpfSectionNames.ReadOnlyData, StringComparison.Ordinal));
        }

        if (obj.Externs.Count > 0)
            maps[KconfigMap] = new MapDescriptor(BpfSectionNames.Kconfig, BpfMapType.Array, 4, (uint)(8 * obj.Externs.Count), 1, IsReadOnly: true);

        var code = new List<Instruction>();
        var kfuncs = new Dictionary<int, string>();
        var origin = new List<(string Section, int Slot, int FunctionStart)>();
        Append(section, fn.InstructionOffset, fn.InstructionCount, fn.InstructionOffset);
        var text = obj.FindProgramSection(BpfSectionNames.Text);
        int textBase = -1;
        var starts = new List<int>();
        if (NeedsText(section, fn) && text != null)
        {
            textBase = code.Count;
            foreach (var f in text.Functions) starts.Add(textBase + f.InstructionOffset);
            for (int slot = 0; slot < text.Instructions.Count; slot++)
            {
                var owner = OwnerOf(text, slot);
                code.Add(text.Instructions[slot]);
                origin.Add((text.Name, slot, owner?.InstructionOffset ?? 0));
            }
        }

        // Relocations of the entry function's part and of .text.
        Patch(section, fn.InstructionOffset, fn.InstructionCount, 0);
        if (textBase >= 0) Patch(text!, 0, text!.Instructions.Count, textBase);

        IReadOnlyList<ContextArgument>? args = null;
        string? opsType = null;
        if (type == VerifierProgramType.StructOps && obj.Btf != null)
        {
            foreach (var so in obj.StructOps)
                foreach (var member in so.FunctionMembers)
                    if (member.ProgramName == fn.Name)
                    {
                        opsType = so.TypeName;
                        args = PromoteSock(obj, so.TypeName, BtfTypes.StructOpsArguments(obj.Btf, so.TypeName, member.MemberName));
                    }
        }
        else if (type == VerifierProgramType.Tracing)
        {
            // tp_btf/fentry argument types live in the kernel's BTF: without it, treat every argument as a kernel pointer.
            var list = new List<ContextArgument>();
            for (int i = 0; i < 12; i++) list.Add(new ContextArgument($"arg{i}", true));
            args = list;
        }

        var spec = new VerifierProgramSpec(type, attach)
        {
            Name = fn.Name,
            Maps = maps,
            Arguments = args,
            Btf = obj.Btf,
            AllowBtfStores = type == VerifierProgramType.StructOps,
            StructOpsType = opsType,
            KfuncNames = kfuncs,
            FunctionStarts = starts,
            FunctionInfo = FunctionInfoOf(obj, section, fn, text, textBase),
            SourceLines = obj.BtfExt == null ? null : LineInfoLocator.For(obj.BtfExt, origin),
        };
        return (code, spec);

        void Append(BpfProgramSection s, int start, int count, int functionStart)
        {
            for (int i = 0; i < count; i++)
            {
                code.Add(s.Instructions[start + i]);
                origin.Add((s.Name, start + i, functionStart));
            }
        }

        void Patch(BpfProgramSection s, int start, int count, int baseIndex)
        {
            foreach (var rel in s.Relocations)
            {
                if (rel.InstructionIndex < start || rel.InstructionIndex >= start + count) continue;
                int at = baseIndex + rel.InstructionIndex - start;
                var insn = code[at];
                switch (rel.Kind)
                {
                    case BpfRelocationKind.Map:
                    {
                        int idx = obj.Maps.FindIndex(m => m.Name == rel.SymbolName);
                        if (idx < 0) idx = obj.Maps.FindIndex(m => m.SectionName == rel.TargetSectionName && (long)m.SectionOffset == rel.TargetOffset);
                        code[at] = new Instruction(insn.Opcode, insn.Dst, (byte)PseudoSource.MapFd, 0, idx < 0 ? int.MaxValue : idx);
                        break;
                    }
                    case BpfRelocationKind.GlobalData:
                    {
                        int idx = obj.DataSections.FindIndex(d => d.Name == rel.TargetSectionName);
                        code[at] = new Instruction(insn.Opcode, insn.Dst, (byte)PseudoSource.MapValue, 0, idx < 0 ? int.MaxValue : DataMapBase + idx);
                        code[at + 1] = new Instruction(0, 0, 0, 0, (int)rel.TargetOffset);
                        break;
                    }
                    case BpfRelocationKind.SubprogramCall when textBase >= 0 && rel.TargetSectionName == BpfSectionNames.Text:
                        code[at] = insn.WithImm(textBase + (int)rel.TargetOffset - (at + 1));
                        break;
                    case BpfRelocationKind.SubprogramAddress when textBase >= 0 && rel.TargetSectionName == BpfSectionNames.Text:
                        code[at] = new Instruction(insn.Opcode, insn.Dst, (byte)PseudoSource.Func, 0, textBase + (int)rel.TargetOffset - (at + 1));
                        break;
                    case BpfRelocationKind.KfuncCall:
                        // The loader puts the kfunc's BTF id here; src=2 marks a kfunc call.
                        code[at] = new Instruction(insn.Opcode, 0, (byte)CallKind.Kfunc, 0, 0);
                        kfuncs[at] = rel.SymbolName;
                        break;
                    case BpfRelocationKind.ExternVariable when insn.IsWideLoad:
                    {
                        int ext = obj.Externs.FindIndex(x => x.Name == rel.SymbolName);
                        if (ext >= 0 && obj.Externs[ext].Kind == BpfExternKind.Variable)
                        {
                            // libbpf places .kconfig values in a read-only map: one 8-byte slot per extern here.
                            code[at] = new Instruction(insn.Opcode, insn.Dst, (byte)PseudoSource.MapValue, 0, KconfigMap);
                            code[at + 1] = new Instruction(0, 0, 0, 0, ext * 8);
                        }
                        else
                        {
                            // A kfunc's address (if (bpf_task_acquire)): a non-zero number once resolved.
                            code[at] = new Instruction(insn.Opcode, insn.Dst, 0, 0, 1);
                            code[at + 1] = new Instruction(0, 0, 0, 0, 0);
                        }
                        break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// func_info of the linked program as libbpf passes it: the entry function's record at 0, .text records moved
    /// to where .text was appended. Null without BTF.ext (then every subprogram is treated as static).
    /// </summary>
    private static IReadOnlyList<FunctionInfoRecord>? FunctionInfoOf(BpfObjectFile obj, BpfProgramSection section, BpfFunction fn,
        BpfProgramSection? text, int textBase)
    {
        if (obj.BtfExt == null || obj.Btf == null) return null;
        var records = new List<FunctionInfoRecord>();
        foreach (var group in obj.BtfExt.FuncInfos)
        {
            foreach (var r in group.Records)
            {
                int slot = (int)(r.InsnOffset / 8);
                if (group.SectionName == section.Name && slot >= fn.InstructionOffset && slot < fn.InstructionOffset + fn.InstructionCount)
                    records.Add(new FunctionInfoRecord(slot - fn.InstructionOffset, r.TypeId));
                else if (textBase >= 0 && text != null && group.SectionName == text.Name && section != text)
                    records.Add(new FunctionInfoRecord(textBase + slot, r.TypeId));
            }
        }
        records.Sort((a, b) => a.InstructionIndex.CompareTo(b.InstructionIndex));
        return records;
    }

    private static MapDescriptor Describe(BpfMapDefinition m) =>
        new(m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags) { Inner = m.InnerMap == null ? null : Describe(m.InnerMap) };

    private static bool NeedsText(BpfProgramSection section, BpfFunction fn)
    {
        foreach (var rel in section.Relocations)
            if (rel.InstructionIndex >= fn.InstructionOffset && rel.InstructionIndex < fn.InstructionOffset + fn.InstructionCount &&
                rel.TargetSectionName == BpfSectionNames.Text &&
                rel.Kind is BpfRelocationKind.SubprogramCall or BpfRelocationKind.SubprogramAddress)
                return true;
        return false;
    }

    private static BpfFunction? OwnerOf(BpfProgramSection s, int slot)
    {
        foreach (var f in s.Functions)
            if (slot >= f.InstructionOffset && slot < f.InstructionOffset + Math.Max(1, f.InstructionCount)) return f;
        return null;
    }

    /// <summary>tcp_congestion_ops callbacks see their struct sock * as a tcp_sock (the kernel promotes it).</summary>
    private static IReadOnlyList<ContextArgument>? PromoteSock(BpfObjectFile obj, string opsType, IReadOnlyList<ContextArgument>? args)
    {
        if (args == null || opsType != "tcp_congestion_ops" || obj.Btf == null) return args;
        var tcp = obj.Btf.Find<CSharpBpf.Object.Btf.BtfStruct>("tcp_sock");
        if (tcp == null) return args;
        var list = new List<ContextArgument>();
        foreach (var a in args)
            list.Add(a.IsPointer && a.StructName == "sock" ? a with { BtfTypeId = tcp.Id, StructName = "tcp_sock", StructSize = (int)tcp.Size } : a);
        return list;
    }
}
