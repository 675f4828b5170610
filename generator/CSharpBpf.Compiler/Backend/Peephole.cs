using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Clean-ups after allocation, inside each block:
/// - a reload of the register just stored to the same stack slot;
/// - a register move that repeats a fact still true ("r6 = r1 ... r1 = r6" with neither
///   changed in between, or the same w-move twice);
/// - a pure instruction whose result is overwritten before anything reads it.
/// </summary>
internal static class Peephole
{
    private const byte StxDw = (byte)InstructionClass.Stx | (byte)MemSize.DW | (byte)MemMode.Mem;
    private const byte LdxDw = (byte)InstructionClass.Ldx | (byte)MemSize.DW | (byte)MemMode.Mem;
    private const byte Mov64 = (byte)InstructionClass.Alu64 | (byte)SourceOperand.X | (byte)AluOp.Mov;
    private const byte Mov32 = (byte)InstructionClass.Alu | (byte)SourceOperand.X | (byte)AluOp.Mov;

    public static void Run(MFunction mf)
    {
        var live = Liveness.Compute(mf);
        foreach (var b in mf.Layout)
        {
            var code = mf.Code[b];
            for (int i = code.Count - 1; i >= 1; i--)
            {
                var prev = code[i - 1];
                var m = code[i];
                if (m.Opcode == LdxDw && prev.Opcode == StxDw && m.Src == MReg.FP && prev.Dst == MReg.FP &&
                    m.Off == prev.Off && m.Dst == prev.Src)
                    code.RemoveAt(i);
            }
            code.RemoveAll(m => m.Opcode == Mov64 && m.Off == 0 && m.Dst == m.Src); // off != 0 is movsx
            RemoveRepeatedMoves(code);
            RemoveDeadDefinitions(code, live.LiveOut[b]);
        }
    }

    private static bool IsPlainMove(MInst m) => (m.Opcode == Mov64 || m.Opcode == Mov32) && m.Off == 0;

    private static void RemoveRepeatedMoves(List<MInst> code)
    {
        // Facts (dst, src, is64): dst holds src (64-bit: the whole register; 32-bit: zext of src's low half).
        var facts = new List<(int dst, int src, bool wide)>();
        for (int i = 0; i < code.Count; i++)
        {
            var m = code[i];
            if (IsPlainMove(m))
            {
                bool wide = m.Opcode == Mov64;
                bool redundant = facts.Contains((m.Dst, m.Src, wide)) || (wide && facts.Contains((m.Src, m.Dst, true)));
                if (redundant)
                {
                    code.RemoveAt(i--);
                    continue;
                }
            }
            foreach (var d in m.Defs()) facts.RemoveAll(f => f.dst == d || f.src == d);
            if (IsPlainMove(m) && m.Dst != m.Src) facts.Add((m.Dst, m.Src, m.Opcode == Mov64));
        }
    }

    /// <summary>Pure: no memory write, no control flow, no call; only defines its destination.</summary>
    private static bool IsPure(MInst m) =>
        m.Reloc is null && m.Core is null && (m.IsAlu || m.IsLdImm64 || m.Class == InstructionClass.Ldx);

    private static void RemoveDeadDefinitions(List<MInst> code, HashSet<int> liveOut)
    {
        var live = new HashSet<int>(liveOut) { MReg.FP };
        for (int i = code.Count - 1; i >= 0; i--)
        {
            var m = code[i];
            var defs = m.Defs().ToList();
            if (IsPure(m) && defs.Count == 1 && !live.Contains(defs[0]))
            {
                code.RemoveAt(i);
                continue;
            }
            foreach (var d in defs) live.Remove(d);
            foreach (var u in m.Uses()) live.Add(u);
        }
    }
}
