using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Clean-ups after allocation: a reload of the register just stored to the same stack slot,
/// and a 64-bit move of a register onto itself.
/// </summary>
internal static class Peephole
{
    private const byte StxDw = (byte)InstructionClass.Stx | (byte)MemSize.DW | (byte)MemMode.Mem;
    private const byte LdxDw = (byte)InstructionClass.Ldx | (byte)MemSize.DW | (byte)MemMode.Mem;

    public static void Run(MFunction mf)
    {
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
            code.RemoveAll(m => m.Opcode == ((byte)InstructionClass.Alu64 | (byte)SourceOperand.X | (byte)AluOp.Mov) && m.Off == 0 && m.Dst == m.Src); // off != 0 is movsx
        }
    }
}
