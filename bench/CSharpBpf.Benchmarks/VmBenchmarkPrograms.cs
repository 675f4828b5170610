using CSharpBpf.Object.Isa;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Benchmarks;

/// <summary>The benchmark programs (same as tests/CSharpBpf.Vm.Tests/KernelAgreement/XdpPrograms.cs, which checks the kernel agrees).</summary>
internal static class VmBenchmarkPrograms
{
    private static Instruction[] P(params object[] items)
    {
        var list = new System.Collections.Generic.List<Instruction>();
        foreach (var i in items)
        {
            if (i is Instruction one) list.Add(one);
            else list.AddRange((Instruction[])i);
        }
        return list.ToArray();
    }

    /// <summary>r0 = 0 + … + 999: 3 003 instructions executed.</summary>
    public static Instruction[] SumLoop() => P(
        Mov64Imm(R0, 0), Mov64Imm(R1, 0),
        Alu64Reg(AluOp.Add, R0, R1), Alu64Imm(AluOp.Add, R1, 1), JmpImm(JmpOp.Jlt, R1, 1000, -3),
        Exit());

    /// <summary>Reads, increments and writes back each of 64 packet bytes (520 instructions executed).</summary>
    public static Instruction[] Buffer64() => P(
        Ldx(MemSize.W, R2, R1, 0), Ldx(MemSize.W, R3, R1, 4),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 64), Jmp(JmpOp.Jgt, R4, R3, 11),
        Mov64Imm(R0, 0), Mov64Imm(R5, 0),
        Mov64Reg(R6, R2), Alu64Reg(AluOp.Add, R6, R5), Ldx(MemSize.B, R7, R6, 0), Alu64Imm(AluOp.Add, R7, 1),
        Stx(MemSize.B, R6, R7, 0), Alu64Reg(AluOp.Add, R0, R7), Alu64Imm(AluOp.Add, R5, 1), JmpImm(JmpOp.Jlt, R5, 64, -8),
        Exit(),
        Mov64Imm(R0, 0), Exit());

    /// <summary>Ones'-complement checksum of 64 bytes with a data-dependent carry branch.</summary>
    public static Instruction[] Checksum() => P(
        Ldx(MemSize.W, R2, R1, 0), Ldx(MemSize.W, R3, R1, 4),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 64), Jmp(JmpOp.Jgt, R4, R3, 13),
        Mov64Imm(R0, 0), Mov64Imm(R5, 0),
        Mov64Reg(R6, R2), Alu64Reg(AluOp.Add, R6, R5), Ldx(MemSize.H, R7, R6, 0), Alu64Reg(AluOp.Add, R0, R7),
        JmpImm(JmpOp.Jlt, R0, 0x10000, 2), Alu64Imm(AluOp.And, R0, 0xffff), Alu64Imm(AluOp.Add, R0, 1),
        Alu64Imm(AluOp.Add, R5, 2), JmpImm(JmpOp.Jlt, R5, 64, -9),
        Alu64Imm(AluOp.Xor, R0, 0xffff), Exit(),
        Mov64Imm(R0, 0), Exit());
}
