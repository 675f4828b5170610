using System;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using Xunit;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Vm.Tests.Programs;

/// <summary>
/// Loads and stores that leave the fast path (rewritten or virtual context fields) inside loops
/// while every register holds a value. The JIT parks the live registers in memory around those
/// calls and reloads them (Jit/RegisterLiveness); a register it forgot, or reloaded from the wrong
/// slot, changes the mixed result. Each program is also run on the interpreter, and both engines
/// must agree on r0 and on the instructions executed.
/// </summary>
public abstract class SlowPathRegisterTests : IDisposable
{
    protected SlowPathRegisterTests() => Host = new BpfTestHost(Engine);

    protected abstract ExecutionEngine Engine { get; }

    protected BpfTestHost Host { get; }

    /// <summary>r0 = ((r0*31 + r2)*31 + r3)… + r8, so every register's final value counts.</summary>
    private static readonly Instruction[] MixRegisters =
    {
        Alu64Imm(AluOp.Mul, R0, 31), Alu64Reg(AluOp.Add, R0, R2),
        Alu64Imm(AluOp.Mul, R0, 31), Alu64Reg(AluOp.Add, R0, R3),
        Alu64Imm(AluOp.Mul, R0, 31), Alu64Reg(AluOp.Add, R0, R4),
        Alu64Imm(AluOp.Mul, R0, 31), Alu64Reg(AluOp.Add, R0, R5),
        Alu64Imm(AluOp.Mul, R0, 31), Alu64Reg(AluOp.Add, R0, R6),
        Alu64Imm(AluOp.Mul, R0, 31), Alu64Reg(AluOp.Add, R0, R7),
        Alu64Imm(AluOp.Mul, R0, 31), Alu64Reg(AluOp.Add, R0, R8),
        Exit(),
    };

    private static ulong Mix(params ulong[] r)
    {
        ulong acc = r[0];
        for (int i = 1; i < r.Length; i++) acc = unchecked(acc * 31 + r[i]);
        return acc;
    }

    private static object[] InitialRegisters() => new object[]
    {
        Mov64Imm(R0, 0x1001), Mov64Imm(R2, 0x2002), Mov64Imm(R3, 0x3003), Mov64Imm(R4, 0x4004),
        Mov64Imm(R5, 0x5005), Mov64Imm(R6, 0x6006), Mov64Imm(R7, 0x7007), Mov64Imm(R8, 0),
    };

    private static object[] StepRegisters() => new object[]
    {
        Alu64Imm(AluOp.Add, R2, 1), Alu64Imm(AluOp.Add, R3, 2), Alu64Imm(AluOp.Add, R4, 3),
        Alu64Imm(AluOp.Add, R5, 4), Alu64Imm(AluOp.Add, R6, 5), Alu64Imm(AluOp.Add, R7, 6),
    };

    private static object[] Concat(params object[][] parts)
    {
        var all = new System.Collections.Generic.List<object>();
        foreach (var p in parts) all.AddRange(p);
        return all.ToArray();
    }

    private (RunResult Result, RunResult Interpreted) RunBoth(Instruction[] code, ProgramType type, Func<BpfTestHost, ProgramContext> context)
    {
        var result = Host.Run(Host.Load(code, type), context(Host));
        using var reference = new BpfTestHost(ExecutionEngine.Interpreter);
        var interpreted = reference.Run(reference.Load(code, type), context(reference));
        return (result, interpreted);
    }

    [Fact]
    public void Registers_survive_virtual_context_loads_and_stores_in_a_loop()
    {
        // Each iteration reads bpf_sock_ops->op (a virtual context load) and writes ->reply (a
        // virtual context store) while r0..r9 are all live.
        var code = VmTestBase.Prog(Concat(
            new object[] { Mov64Reg(R9, R1) },
            InitialRegisters(),
            new object[] { Ldx(MemSize.W, R1, R9, SockOpsContext.OffOp), Alu64Reg(AluOp.Add, R0, R1), Stx(MemSize.W, R9, R8, SockOpsContext.OffReply) },
            StepRegisters(),
            new object[] { Alu64Imm(AluOp.Add, R8, 1), JmpImm(JmpOp.Jlt, R8, 10, -11) },
            new object[] { MixRegisters }));
        var (result, interpreted) = RunBoth(code, ProgramType.SockOps, host => new SockOpsContext(host.CreateSocket(), SockOpsContext.TcpConnectCb));

        ulong expected = Mix(0x1001 + 10 * SockOpsContext.TcpConnectCb, 0x2002 + 10, 0x3003 + 20, 0x4004 + 30, 0x5005 + 40, 0x6006 + 50, 0x7007 + 60, 10);
        Assert.Equal(expected, result.ReturnValue);
        Assert.Equal(9u, ((SockOpsContext)result.Context!).Reply);
        Assert.Equal(interpreted.ReturnValue, result.ReturnValue);
        Assert.Equal(interpreted.InstructionsExecuted, result.InstructionsExecuted);
    }

    [Fact]
    public void Registers_survive_rewritten_packet_pointer_loads_between_packet_accesses()
    {
        // Each iteration reloads xdp_md->data and ->data_end (rewritten context loads, out of line)
        // and then reads and writes a packet byte (the region cache must be refilled after them).
        var code = VmTestBase.Prog(Concat(
            new object[] { Mov64Reg(R9, R1) },
            InitialRegisters(),
            new object[]
            {
                Ldx(MemSize.W, R1, R9, 0), Ldx(MemSize.W, R2, R9, 4), // r2 (data_end) is overwritten below: keep it in the check only
                Mov64Reg(R2, R1), Alu64Reg(AluOp.Add, R2, R8), // r2 = data + i, clobbering data_end on purpose
                Ldx(MemSize.B, R1, R2, 0), Alu64Reg(AluOp.Add, R0, R1), Alu64Imm(AluOp.Add, R1, 1), Stx(MemSize.B, R2, R1, 0),
                Mov64Imm(R2, 0x2002), Alu64Reg(AluOp.Add, R2, R8), // restore r2 to its running value 0x2002 + i
            },
            StepRegisters(),
            new object[] { Alu64Imm(AluOp.Add, R8, 1), JmpImm(JmpOp.Jlt, R8, 16, -18) },
            new object[] { MixRegisters }));
        var packet = new byte[64];
        for (int i = 0; i < packet.Length; i++) packet[i] = (byte)(3 * i);
        var (result, interpreted) = RunBoth(code, ProgramType.Xdp, _ => new XdpContext((byte[])packet.Clone()));

        ulong bytes = 0;
        for (int i = 0; i < 16; i++) bytes += (ulong)(3 * i);
        // r2 was reset to 0x2002 + i and then stepped: 0x2002 + 15 + 1 at the end
        ulong expected = Mix(0x1001 + bytes, 0x2002 + 16, 0x3003 + 32, 0x4004 + 48, 0x5005 + 64, 0x6006 + 80, 0x7007 + 96, 16);
        Assert.Equal(expected, result.ReturnValue);
        Assert.Equal(interpreted.ReturnValue, result.ReturnValue);
        Assert.Equal(interpreted.InstructionsExecuted, result.InstructionsExecuted);
        var written = ((XdpContext)result.Context!).Packet;
        for (int i = 0; i < 16; i++) Assert.Equal((byte)(3 * i + 1), written[i]);
        Assert.Equal((byte)(3 * 16), written[16]);
    }

    [Fact]
    public void A_violation_on_the_slow_path_names_its_instruction_after_registers_were_parked()
    {
        // The third iteration stores past the 16 writable reply bytes: the error must name that store.
        var code = VmTestBase.Prog(Concat(
            new object[] { Mov64Reg(R9, R1) },
            InitialRegisters(),
            new object[]
            {
                Mov64Reg(R1, R8), Alu64Imm(AluOp.Lsh, R1, 3), Alu64Reg(AluOp.Add, R1, R9),
                Stx(MemSize.DW, R1, R0, SockOpsContext.OffReply), // offsets 4, 12, then 20: outside reply
                Alu64Imm(AluOp.Add, R8, 1), JmpImm(JmpOp.Jlt, R8, 4, -6),
            },
            new object[] { MixRegisters }));
        var e = Assert.Throws<BpfVmException>(() => Host.Run(Host.Load(code, ProgramType.SockOps), new SockOpsContext(Host.CreateSocket(), SockOpsContext.TcpConnectCb)));
        Assert.Equal(VmErrorKind.MemoryViolation, e.Kind);
        Assert.Equal(12, e.InstructionIndex);
    }

    public void Dispose()
    {
        Host.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class InterpreterSlowPathRegisterTests : SlowPathRegisterTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Interpreter;
}

public sealed class JitSlowPathRegisterTests : SlowPathRegisterTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Jit;
}
