using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.CompilerComparison;

/// <summary>
/// The size of one program as the kernel will receive it: the 8-byte slots of its function in its
/// section (an LD_IMM64 is two slots) plus every subprogram it reaches through bpf-to-bpf calls or
/// function addresses, each counted once. Read from the ELF object, so clang's and ours are
/// measured the same way.
/// </summary>
public static class InstructionCounter
{
    public static ProgramSize Count(byte[] elf, string program)
    {
        var obj = BpfObjectFile.Read(elf);
        var entry = obj.FindFunction(program) ?? throw new InvalidOperationException($"the object has no function '{program}'");
        if (!entry.IsEntryPoint) throw new InvalidOperationException($"'{program}' is in {entry.SectionName}, not a program section");

        var seen = new HashSet<BpfFunction> { entry };
        var work = new Stack<BpfFunction>();
        work.Push(entry);
        while (work.Count > 0)
        {
            var f = work.Pop();
            foreach (var callee in Callees(obj, f))
                if (seen.Add(callee)) work.Push(callee);
        }
        var subprograms = seen.Where(f => f != entry).OrderBy(f => f.InstructionOffset).ToList();
        return new ProgramSize(entry.InstructionCount, subprograms.Sum(f => f.InstructionCount), subprograms.Select(f => f.Name).ToList());
    }

    private static IEnumerable<BpfFunction> Callees(BpfObjectFile obj, BpfFunction f)
    {
        var section = obj.FindProgramSection(f.SectionName)!;
        int start = f.InstructionOffset, stop = f.InstructionOffset + f.InstructionCount;
        // Calls into another section (clang and our backend put subprograms in .text) carry a relocation.
        foreach (var r in section.Relocations)
        {
            if (r.InstructionIndex < start || r.InstructionIndex >= stop) continue;
            if (r.Kind is not (BpfRelocationKind.SubprogramCall or BpfRelocationKind.SubprogramAddress)) continue;
            yield return FunctionAt(obj, r.TargetSectionName, (int)r.TargetOffset);
        }
        // Calls inside one section are already pc-relative and have none.
        var relocated = new HashSet<int>(section.Relocations.Select(r => r.InstructionIndex));
        for (int i = start; i < stop; i++)
        {
            var insn = section.Instructions[i];
            if (insn.Opcode == Insns.CallOpcode && insn.Src == 1 && !relocated.Contains(i))
                yield return FunctionAt(obj, f.SectionName, i + insn.Imm + 1);
        }
    }

    private static BpfFunction FunctionAt(BpfObjectFile obj, string sectionName, int slot)
    {
        var section = obj.FindProgramSection(sectionName) ?? throw new InvalidOperationException($"call into missing section {sectionName}");
        return section.Functions.FirstOrDefault(g => slot >= g.InstructionOffset && slot < g.InstructionOffset + g.InstructionCount)
            ?? throw new InvalidOperationException($"call target {sectionName}+{slot} is inside no function");
    }
}

/// <summary>Slots of the entry function and of the subprograms it reaches.</summary>
public sealed record ProgramSize(int Entry, int Subprograms, IReadOnlyList<string> SubprogramNames)
{
    public int Total => Entry + Subprograms;
}
