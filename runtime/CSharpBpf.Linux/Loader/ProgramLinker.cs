using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Elf;
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

    private FunctionSpec FunctionAt(int sectionIndex, int insn, string why)
    {
        return _spec.Subprograms.FirstOrDefault(f => f.Contains(sectionIndex, insn))
            ?? _spec.Programs.FirstOrDefault(f => f.Contains(sectionIndex, insn))
            ?? throw new BpfFormatException("ELF", insn * 8L, $"a function at instruction {insn} of section #{sectionIndex} ({why})");
    }

    private void Resolve(LinkedProgram prog, FunctionSpec fn, Queue<FunctionSpec> queue)
    {
        var rel = _spec.Elf.FindRelocationsFor(fn.Section.Index);
        var relocs = rel?.Entries.Where(r => r.Offset >= (ulong)fn.StartInsn * 8 && r.Offset < (ulong)(fn.StartInsn + fn.Instructions.Length) * 8)
            .ToDictionary(r => (int)(r.Offset / 8)) ?? new Dictionary<int, ElfRelocation>();
        int baseIdx = prog.Placement[fn];
        var insns = prog.Instructions;
        for (int k = 0; k < fn.Instructions.Length; k++)
        {
            int idx = baseIdx + k;
            int secInsn = fn.StartInsn + k;
            var insn = insns[idx];
            relocs.TryGetValue(secInsn, out var r);
            var sym = r is null ? null : _spec.Elf.Symbols[(int)r.SymbolIndex];
            string where = $"program '{prog.Entry.Name}' instruction {secInsn} of section '{fn.SectionName}'";

            if (sym is not null && sym.IsUndefined)
            {
                if (!_spec.Externs.TryGetValue((int)r!.SymbolIndex, out var ext))
                    throw new BpfFormatException("ELF", (long)r.Offset, $"a known extern for symbol '{sym.Name}' at {where}");
                if (ext.IsKconfig)
                    throw new BpfException($"extern '{ext.Name}' (.kconfig) used at {where}: kconfig externs are not supported by this loader; pass the value as a const volatile global instead");
                if (insn.IsCall)
                {
                    var (id, slot) = _resolveKfunc(ext);
                    insns[idx] = new Instruction(insn.Opcode, 0, PseudoKfuncCall, slot, id);
                }
                else if (insn.IsWideLoad)
                {
                    var (id, objFd) = _resolveKsymVar(ext);
                    insns[idx] = new Instruction(insn.Opcode, insn.Dst, PseudoBtfId, 0, id);
                    insns[idx + 1] = insns[idx + 1].WithImm(objFd);
                }
                else throw new BpfFormatException("ELF", (long)r.Offset, $"a call or 64-bit load referencing extern '{sym.Name}' at {where}");
                continue;
            }

            bool localCall = insn.IsCall && insn.Src == PseudoCall;
            var targetSection = sym is null ? null : SectionOf(sym);
            bool funcPointer = insn.IsWideLoad && targetSection is not null && targetSection.IsExecutable;
            if (localCall || funcPointer)
            {
                int tSection, tInsn;
                if (funcPointer)
                {
                    tSection = targetSection!.Index;
                    tInsn = (int)((long)sym!.Value + insn.Imm) / 8;
                }
                else if (sym is not null)
                {
                    tSection = sym.SectionIndex;
                    tInsn = (int)(sym.Value / 8) + insn.Imm + 1;
                }
                else
                {
                    tSection = fn.Section.Index;
                    tInsn = secInsn + insn.Imm + 1;
                }
                // A call inside the same function needs no appending (it is already placed).
                var target = fn.Contains(tSection, tInsn) ? fn : FunctionAt(tSection, tInsn, "call target of " + where);
                if (!prog.Placement.ContainsKey(target)) Place(prog, target, queue);
                int newTarget = prog.Placement[target] + (tInsn - target.StartInsn);
                int rel32 = newTarget - idx - 1;
                insns[idx] = funcPointer ? new Instruction(insn.Opcode, insn.Dst, PseudoFunc, 0, rel32) : insn.WithImm(rel32);
                continue;
            }

            if (sym is null) continue;
            if (!insn.IsWideLoad)
                throw new BpfFormatException("ELF", (long)r!.Offset, $"a 64-bit load (ld_imm64) for the relocation against '{sym.Name}' at {where}");
            var map = MapFor(sym, insn.Imm, out int valueOffset)
                ?? throw new BpfFormatException("ELF", (long)r!.Offset, $"a map or global-data section for symbol '{sym.Name}' referenced at {where}");
            prog.MapsUsed.Add(map.Name);
            int fd = _mapFd(map);
            if (map.Kind is MapKind.User or MapKind.StructOps)
            {
                insns[idx] = new Instruction(insn.Opcode, insn.Dst, PseudoMapFd, 0, fd);
                insns[idx + 1] = insns[idx + 1].WithImm(0);
            }
            else
            {
                insns[idx] = new Instruction(insn.Opcode, insn.Dst, PseudoMapValue, 0, fd);
                insns[idx + 1] = insns[idx + 1].WithImm(valueOffset);
            }
        }
    }

    private ElfSection? SectionOf(ElfSymbol sym) =>
        sym.IsUndefined || sym.IsSpecialSection || sym.SectionIndex >= _spec.Elf.Sections.Count ? null : _spec.Elf.Sections[sym.SectionIndex];

    private MapDefinition? MapFor(ElfSymbol sym, int imm, out int valueOffset)
    {
        valueOffset = 0;
        var section = SectionOf(sym);
        if (section is null) return null;
        if (section.Name == ".maps" || section.Name.StartsWith(".struct_ops", StringComparison.Ordinal))
        {
            long off = (long)sym.Value + (sym.Type == ElfSymbolType.Section ? imm : 0);
            return _spec.Maps.FirstOrDefault(m => m.SectionIndex == section.Index && m.SectionOffset == off);
        }
        var data = _spec.Maps.FirstOrDefault(m => m.SectionIndex == section.Index && m.Kind is MapKind.Data or MapKind.Rodata or MapKind.Bss);
        if (data is null) return null;
        // Section symbols carry the offset in the instruction; variable symbols add their own value.
        valueOffset = (int)sym.Value + imm;
        return data;
    }
}
