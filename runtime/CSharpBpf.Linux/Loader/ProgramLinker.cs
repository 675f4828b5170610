using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Objects;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Linux.Loader;

/// <summary>
/// Resolves references held by ELF relocations into kernel form: map fds (BPF_PSEUDO_MAP_FD),
/// global data (BPF_PSEUDO_MAP_VALUE + offset), subprogram calls and function pointers (appending
/// each called function once, libbpf-style), kfunc calls (via a callback giving BTF id and fd_array slot).
/// </summary>
public sealed class ProgramLinker
{
    private const byte PseudoMapFd = 1, PseudoMapValue = 2, PseudoBtfId = 3, PseudoFunc = 4;
    private const byte PseudoCall = 1, PseudoKfuncCall = 2;

    private readonly ObjectSpec _spec;
    private readonly Func<MapDefinition, int> _mapFd;
    private readonly Func<ExternSymbol, (int BtfId, short FdSlot)> _resolveKfunc;
    private readonly Func<ExternSymbol, (int BtfId, int BtfObjFd)> _resolveKsymVar;

    public ProgramLinker(ObjectSpec spec, Func<MapDefinition, int> mapFd,
        Func<ExternSymbol, (int BtfId, short FdSlot)> resolveKfunc, Func<ExternSymbol, (int BtfId, int BtfObjFd)> resolveKsymVar)
    {
        _spec = spec;
        _mapFd = mapFd;
        _resolveKfunc = resolveKfunc;
        _resolveKsymVar = resolveKsymVar;
    }

    public LinkedProgram Link(FunctionSpec entry)
    {
        var prog = new LinkedProgram(entry);
        var queue = new Queue<FunctionSpec>();
        Place(prog, entry, queue);
        while (queue.Count > 0) Resolve(prog, queue.Dequeue(), queue);
        return prog;
    }

    private void Place(LinkedProgram prog, FunctionSpec fn, Queue<FunctionSpec> queue)
    {
        int at = prog.Instructions.Count;
        prog.Placement[fn] = at;
        prog.Instructions.AddRange(fn.Instructions);
        queue.Enqueue(fn);
        var ext = _spec.BtfExt;
        if (ext is null) return;
        uint lo = (uint)fn.StartInsn * 8, hi = (uint)(fn.StartInsn + fn.Instructions.Length) * 8;
        int Map(uint off) => at + (int)(off / 8) - fn.StartInsn;
        foreach (var s in ext.FuncInfos.Where(s => s.SectionName == fn.SectionName))
            foreach (var r in s.Records) if (r.InsnOffset >= lo && r.InsnOffset < hi) prog.FuncInfos.Add((Map(r.InsnOffset), r));
        foreach (var s in ext.LineInfos.Where(s => s.SectionName == fn.SectionName))
            foreach (var r in s.Records) if (r.InsnOffset >= lo && r.InsnOffset < hi) prog.LineInfos.Add((Map(r.InsnOffset), r));
        foreach (var s in ext.CoreRelos.Where(s => s.SectionName == fn.SectionName))
            foreach (var r in s.Records) if (r.InsnOffset >= lo && r.InsnOffset < hi) prog.CoreRelos.Add((Map(r.InsnOffset), r));
    }

    private FunctionSpec FunctionAt(string section, int insn, string why)
    {
        return _spec.Subprograms.FirstOrDefault(f => f.Contains(section, insn))
            ?? _spec.Programs.FirstOrDefault(f => f.Contains(section, insn))
            ?? throw new BpfFormatException("ELF", insn * 8L, $"a function at instruction {insn} of section '{section}' ({why})");
    }

    private void Resolve(LinkedProgram prog, FunctionSpec fn, Queue<FunctionSpec> queue)
    {
        int baseIdx = prog.Placement[fn];
        var insns = prog.Instructions;
        for (int k = 0; k < fn.Instructions.Length; k++)
        {
            int idx = baseIdx + k;
            int secInsn = fn.StartInsn + k;
            var insn = insns[idx];
            string where = $"program '{prog.Entry.Name}' instruction {secInsn} of section '{fn.SectionName}'";
            if (!fn.Relocations.TryGetValue(secInsn, out var r))
            {
                // A call with no relocation is pc-relative inside its own section (clang resolved it).
                if (insn.IsCall && insn.Src == PseudoCall) LinkFunction(prog, fn, queue, idx, fn.SectionName, secInsn + insn.Imm + 1, false, where);
                continue;
            }
            switch (r.Kind)
            {
                case BpfRelocationKind.KfuncCall:
                case BpfRelocationKind.ExternVariable:
                    ResolveExtern(insns, idx, r, where);
                    break;
                case BpfRelocationKind.SubprogramCall:
                    LinkFunction(prog, fn, queue, idx, r.TargetSectionName, (int)r.TargetOffset, false, where);
                    break;
                case BpfRelocationKind.SubprogramAddress:
                    LinkFunction(prog, fn, queue, idx, r.TargetSectionName, (int)r.TargetOffset, true, where);
                    break;
                case BpfRelocationKind.Map:
                {
                    var map = _spec.Maps.FirstOrDefault(m => m.Kind == MapKind.User && m.Name == r.SymbolName)
                        ?? throw new BpfFormatException("ELF", secInsn * 8L, $"a map named '{r.SymbolName}' for the reference at {where}");
                    prog.MapsUsed.Add(map.Name);
                    insns[idx] = new Instruction(insn.Opcode, insn.Dst, PseudoMapFd, 0, _mapFd(map));
                    insns[idx + 1] = insns[idx + 1].WithImm(0);
                    break;
                }
                case BpfRelocationKind.GlobalData:
                {
                    var data = _spec.Maps.FirstOrDefault(m => m.SectionName == r.TargetSectionName && m.Kind is MapKind.Data or MapKind.Rodata or MapKind.Bss)
                        ?? throw new BpfException($"{where} refers to '{r.SymbolName}' in section '{r.TargetSectionName}', which is not loadable global data (.data/.rodata/.bss)");
                    prog.MapsUsed.Add(data.Name);
                    insns[idx] = new Instruction(insn.Opcode, insn.Dst, PseudoMapValue, 0, _mapFd(data));
                    insns[idx + 1] = insns[idx + 1].WithImm(checked((int)r.TargetOffset));
                    break;
                }
                default:
                    throw new BpfException($"{where}: relocation kind {r.Kind} against '{r.SymbolName}' is not supported by this loader");
            }
        }
    }

    private void ResolveExtern(List<Instruction> insns, int idx, BpfInstructionRelocation r, string where)
    {
        var insn = insns[idx];
        if (!_spec.Externs.TryGetValue(r.SymbolName, out var ext))
            throw new BpfFormatException("ELF", r.InstructionIndex * 8L, $"a known extern for symbol '{r.SymbolName}' at {where}");
        if (ext.IsKconfig)
            throw new BpfException($"extern '{ext.Name}' (.kconfig) used at {where}: kconfig externs are not supported by this loader; pass the value as a const volatile global instead");
        if (r.Kind == BpfRelocationKind.KfuncCall)
        {
            var (id, slot) = _resolveKfunc(ext);
            insns[idx] = new Instruction(insn.Opcode, 0, PseudoKfuncCall, slot, id);
        }
        else
        {
            var (id, objFd) = _resolveKsymVar(ext);
            insns[idx] = new Instruction(insn.Opcode, insn.Dst, PseudoBtfId, 0, id);
            insns[idx + 1] = insns[idx + 1].WithImm(objFd);
        }
    }

    /// <summary>Points a call (or a function-address load) at its target, appending the target function once.</summary>
    private void LinkFunction(LinkedProgram prog, FunctionSpec fn, Queue<FunctionSpec> queue, int idx, string section, int targetInsn, bool address, string where)
    {
        // A call inside the same function needs no appending (it is already placed).
        var target = fn.Contains(section, targetInsn) ? fn : FunctionAt(section, targetInsn, "call target of " + where);
        if (!prog.Placement.ContainsKey(target)) Place(prog, target, queue);
        int rel32 = prog.Placement[target] + (targetInsn - target.StartInsn) - idx - 1;
        var insn = prog.Instructions[idx];
        prog.Instructions[idx] = address ? new Instruction(insn.Opcode, insn.Dst, PseudoFunc, 0, rel32) : insn.WithImm(rel32);
    }
}
