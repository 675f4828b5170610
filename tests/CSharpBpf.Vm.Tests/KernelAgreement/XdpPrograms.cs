using CSharpBpf.Object.Isa;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Vm.Tests.KernelAgreement;

/// <summary>
/// XDP programs written to pass the kernel verifier, run on the VM and through BPF_PROG_TEST_RUN. The VM
/// benchmarks (bench/CSharpBpf.Benchmarks) compile this file in, so they time the programs checked here; keep
/// it free of test-project dependencies.
/// </summary>
public static class XdpPrograms
{
    /// <summary>r0 = 0 + 1 + … + 999: 3 003 instructions executed.</summary>
    public static Instruction[] SumLoop() =>
    [
        Mov64Imm(R0, 0), Mov64Imm(R1, 0),
        Alu64Reg(AluOp.Add, R0, R1), Alu64Imm(AluOp.Add, R1, 1), JmpImm(JmpOp.Jlt, R1, 1000, -3),
        Exit(),
    ];

    /// <summary>Increments each of the packet's first 64 bytes and returns the sum of the new values.</summary>
    public static Instruction[] Buffer64() =>
    [
        Ldx(MemSize.W, R2, R1, 0), Ldx(MemSize.W, R3, R1, 4),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 64), Jmp(JmpOp.Jgt, R4, R3, 11),
        Mov64Imm(R0, 0), Mov64Imm(R5, 0),
        Mov64Reg(R6, R2), Alu64Reg(AluOp.Add, R6, R5), Ldx(MemSize.B, R7, R6, 0), Alu64Imm(AluOp.Add, R7, 1),
        Stx(MemSize.B, R6, R7, 0), Alu64Reg(AluOp.Add, R0, R7), Alu64Imm(AluOp.Add, R5, 1), JmpImm(JmpOp.Jlt, R5, 64, -8),
        Exit(),
        Mov64Imm(R0, 0), Exit(),
    ];

    /// <summary>Ones'-complement sum of the first 64 bytes as 16-bit words, with a data-dependent carry branch.</summary>
    public static Instruction[] Checksum() =>
    [
        Ldx(MemSize.W, R2, R1, 0), Ldx(MemSize.W, R3, R1, 4),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 64), Jmp(JmpOp.Jgt, R4, R3, 13),
        Mov64Imm(R0, 0), Mov64Imm(R5, 0),
        Mov64Reg(R6, R2), Alu64Reg(AluOp.Add, R6, R5), Ldx(MemSize.H, R7, R6, 0), Alu64Reg(AluOp.Add, R0, R7),
        JmpImm(JmpOp.Jlt, R0, 0x10000, 2), Alu64Imm(AluOp.And, R0, 0xffff), Alu64Imm(AluOp.Add, R0, 1),
        Alu64Imm(AluOp.Add, R5, 2), JmpImm(JmpOp.Jlt, R5, 64, -9),
        Alu64Imm(AluOp.Xor, R0, 0xffff), Exit(),
        Mov64Imm(R0, 0), Exit(),
    ];

    /// <summary>IPv4 over Ethernet: swap the MAC addresses and XDP_TX; anything else XDP_PASS; runts XDP_DROP.</summary>
    public static Instruction[] SwapMacs() =>
    [
        Ldx(MemSize.W, R2, R1, 0), Ldx(MemSize.W, R3, R1, 4),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 14), Jmp(JmpOp.Jgt, R4, R3, 12),
        Ldx(MemSize.H, R5, R2, 12), JmpImm(JmpOp.Jne, R5, 0x0008, 12),
        Ldx(MemSize.W, R6, R2, 0), Ldx(MemSize.H, R7, R2, 4),
        Ldx(MemSize.W, R8, R2, 6), Ldx(MemSize.H, R9, R2, 10),
        Stx(MemSize.W, R2, R8, 0), Stx(MemSize.H, R2, R9, 4),
        Stx(MemSize.W, R2, R6, 6), Stx(MemSize.H, R2, R7, 10),
        Mov64Imm(R0, 3), Exit(),
        Mov64Imm(R0, 1), Exit(),
        Mov64Imm(R0, 2), Exit(),
    ];

    /// <summary>Counts packets in array map slot (packet length &amp; 3) with an atomic add; XDP_PASS.</summary>
    public static Instruction[] CountByLength(int mapFd) =>
    [
        Ldx(MemSize.W, R2, R1, 0), Ldx(MemSize.W, R3, R1, 4),
        Alu64Reg(AluOp.Sub, R3, R2), Alu64Imm(AluOp.And, R3, 3), Stx(MemSize.W, R10, R3, -4),
        ..LoadMapFd(R1, mapFd), Mov64Reg(R2, R10), Alu64Imm(AluOp.Add, R2, -4), CallHelper(1),
        JmpImm(JmpOp.Jeq, R0, 0, 2), Mov64Imm(R1, 1), AtomicAdd(MemSize.DW, R0, R1, 0),
        Mov64Imm(R0, 2), Exit(),
    ];
}
