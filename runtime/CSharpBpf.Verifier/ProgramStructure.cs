using System.Collections.Generic;
using CSharpBpf.Object;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

/// <summary>
/// The static shape of a program, checked before any path is explored (the kernel's check_subprogs and
/// check_cfg): known opcodes, jumps that land on an instruction of the same subprogram (never the second
/// half of an ld_imm64), subprograms ending in exit or a jump, every instruction reachable.
/// </summary>
internal sealed class ProgramStructure
{
    private ProgramStructure(IReadOnlyList<Instruction> program)
    {
        Program = program;
        IsSecondSlot = new bool[program.Count];
    }

    public IReadOnlyList<Instruction> Program { get; }
    public bool[] IsSecondSlot { get; }
    /// <summary>Sorted starts of subprograms (0 first).</summary>
    public List<int> SubprogramStarts { get; } = new();
    /// <summary>Instructions that are jump targets or follow a conditional jump: where states are compared.</summary>
    public HashSet<int> PrunePoints { get; } = new();

    public int SubprogramOf(int insn)
    {
        int idx = SubprogramStarts.BinarySearch(insn);
        return idx >= 0 ? idx : ~idx - 1;
    }

    public int SubprogramEnd(int sub) => sub + 1 < SubprogramStarts.Count ? SubprogramStarts[sub + 1] : Program.Count;

    public static ProgramStructure Check(IReadOnlyList<Instruction> program, IReadOnlyCollection<int>? knownStarts,
        List<VerifierError> errors)
    {
        var s = new ProgramStructure(program);
        if (program.Count == 0)
        {
            errors.Add(new VerifierError(0, VerifierErrorCodes.EmptyProgram, "the program has no instructions; it must end with exit"));
            return s;
        }

        // 1. Every instruction decodes (opcode known, registers in range, reserved fields zero).
        for (int i = 0; i < program.Count;)
        {
            try
            {
                var d = Disassembler.Decode(program, i);
                if (d.SlotCount == 2) s.IsSecondSlot[i + 1] = true;
                i += d.SlotCount;
            }
            catch (BpfFormatException e)
            {
                errors.Add(new VerifierError(i, VerifierErrorCodes.InvalidInstruction,
                    $"invalid instruction at insn {i}: {e.Message}"));
                return s;
            }
        }

        // 2. Subprogram starts: entry, targets of bpf-to-bpf calls and of ld_imm64 function references.
        var starts = new SortedSet<int> { 0 };
        if (knownStarts != null)
            foreach (var k in knownStarts)
                if (k >= 0 && k < program.Count) starts.Add(k);
        for (int i = 0; i < program.Count; i++)
        {
            if (s.IsSecondSlot[i]) continue;
            var insn = program[i];
            bool localCall = insn.Opcode == Insns.CallOpcode && insn.Src == (byte)CallKind.Local;
            bool funcRef = insn.IsWideLoad && insn.Src == (byte)PseudoSource.Func;
            if (!localCall && !funcRef) continue;
            long target = (long)i + insn.Imm + 1;
            if (target < 0 || target >= program.Count || s.IsSecondSlot[target])
            {
                errors.Add(new VerifierError(i, VerifierErrorCodes.InvalidCall,
                    $"call to invalid destination: insn {i} targets insn {target}, outside the program or inside an ld_imm64"));
                return s;
            }
            starts.Add((int)target);
        }
        s.SubprogramStarts.AddRange(starts);

        // 3. Jumps stay inside their subprogram and land on a real instruction; subprograms end in exit or ja.
        for (int i = 0; i < program.Count; i++)
        {
            if (s.IsSecondSlot[i]) continue;
            var insn = program[i];
            int sub = s.SubprogramOf(i);
            int lo = s.SubprogramStarts[sub], hi = s.SubprogramEnd(sub);
            if (IsBranch(insn))
            {
                long target = (long)i + 1 + (insn.Class == InstructionClass.Jmp32 && insn.JmpOp == JmpOp.Ja ? insn.Imm : insn.Offset);
                if (target < lo || target >= hi)
                {
                    errors.Add(new VerifierError(i, VerifierErrorCodes.JumpOutOfRange,
                        target < 0 || target >= program.Count
                            ? $"jump out of range from insn {i} to {target}: the program has {program.Count} instructions"
                            : $"jump out of range from insn {i} to {target}: jumps may not leave their subprogram [{lo}, {hi})"));
                    continue;
                }
                if (s.IsSecondSlot[target])
                {
                    errors.Add(new VerifierError(i, VerifierErrorCodes.JumpIntoLdImm64,
                        $"jump from insn {i} into the middle of the ldimm64 insn {target - 1}"));
                    continue;
                }
                s.PrunePoints.Add((int)target);
                if (insn.JmpOp != JmpOp.Ja) s.PrunePoints.Add(i + 1);
            }
        }
        foreach (var start in s.SubprogramStarts)
        {
            int end = s.SubprogramEnd(s.SubprogramOf(start)) - 1;
            int last = end;
            if (last > 0 && s.IsSecondSlot[last]) last--;
            var insn = program[last];
            bool ok = insn.IsExit || (insn.IsJump && insn.JmpOp == JmpOp.Ja);
            if (!ok)
                errors.Add(new VerifierError(last, VerifierErrorCodes.FallOffEnd,
                    "last insn is not an exit or jmp: execution would fall off the end of the subprogram; end it with exit"));
        }
        if (errors.Count > 0) return s;

        // 4. Reachability from the entry (calls and function references reach their subprograms).
        var seen = new bool[program.Count];
        var work = new Stack<int>();
        void Visit(int t) { if (t >= 0 && t < program.Count && !seen[t]) { seen[t] = true; work.Push(t); } }
        Visit(0);
        if (knownStarts != null) foreach (var k in knownStarts) Visit(k);
        while (work.Count > 0)
        {
            int i = work.Pop();
            var insn = program[i];
            if (insn.IsWideLoad)
            {
                seen[i + 1] = true;
                if (insn.Src == (byte)PseudoSource.Func) Visit(i + insn.Imm + 1);
                Visit(i + 2);
                continue;
            }
            if (insn.IsExit) continue;
            if (insn.Opcode == Insns.CallOpcode && insn.Src == (byte)CallKind.Local) { Visit(i + insn.Imm + 1); Visit(i + 1); continue; }
            if (IsBranch(insn))
            {
                bool ja = insn.JmpOp == JmpOp.Ja;
                Visit(i + 1 + (insn.Class == InstructionClass.Jmp32 && ja ? insn.Imm : insn.Offset));
                if (!ja) Visit(i + 1);
                continue;
            }
            Visit(i + 1);
        }
        for (int i = 0; i < program.Count; i++)
            if (!seen[i])
            {
                errors.Add(new VerifierError(i, VerifierErrorCodes.UnreachableInstruction,
                    $"unreachable insn {i}: no path from the entry reaches it; remove the dead code"));
                break;
            }
        return s;
    }

    /// <summary>Conditional or unconditional jumps (not call/exit).</summary>
    public static bool IsBranch(Instruction insn) =>
        insn.IsJump && insn.JmpOp != JmpOp.Call && insn.JmpOp != JmpOp.Exit;
}
