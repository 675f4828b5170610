using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using Xunit;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Vm.Tests.KernelAgreement;

/// <summary>
/// bpf_skb_change_head (43) in a tc program: zero bytes in front of the packet, skb->len grown, -EINVAL for flags or
/// past the kernel's length limit; the VM (both engines) gives BPF_PROG_TEST_RUN's verdict and data_out.
/// </summary>
public sealed class SkbChangeHeadAgreementTests
{
    /// <summary>change_head(room, flags); reload; when 4 bytes fit, write 0x5a at [0] and the (u16) skb->len at [2]; return 2 - result.</summary>
    public static Instruction[] ChangeHeadAndWrite(int room, int flags) =>
    [
        Mov64Reg(R6, R1),
        Mov64Reg(R1, R6), Mov64Imm(R2, room), Mov64Imm(R3, flags), CallHelper(43),
        Mov64Reg(R7, R0),
        Ldx(MemSize.W, R8, R6, 0),
        Ldx(MemSize.W, R2, R6, 76), Ldx(MemSize.W, R3, R6, 80),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 4), Jmp(JmpOp.Jgt, R4, R3, 2),
        St(MemSize.B, R2, 0, 0x5a), Stx(MemSize.H, R2, R8, 2),
        Mov64Imm(R0, 2), Alu64Reg(AluOp.Sub, R0, R7), Exit(),
    ];

    public static IEnumerable<object[]> Cases()
    {
        foreach (int len in new[] { 14, 60 })
            foreach (var (room, flags) in new[] { (0, 0), (4, 0), (14, 0), (SkbContext.MaxLength - len, 0), (SkbContext.MaxLength - len + 1, 0), (4, 1) })
                yield return new object[] { room, flags, len };
    }

    private static byte[] Packet(int length)
    {
        var p = new byte[length];
        new Random(length).NextBytes(p);
        return p;
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Change_head_prepends_zero_bytes_and_grows_len(ExecutionEngine engine)
    {
        var packet = Packet(60);
        using var host = new BpfTestHost(engine);
        var r = host.RunSkb(host.Load(ChangeHeadAndWrite(14, 0), ProgramType.SchedCls), (byte[])packet.Clone());
        Assert.Equal(2UL, r.ReturnValue);
        Assert.Equal(74, r.Packet.Length);
        Assert.Equal(new byte[] { 0x5a, 0, 74, 0 }, r.Packet[..4]);
        Assert.All(r.Packet[4..14], b => Assert.Equal(0, b));
        Assert.Equal(packet, r.Packet[14..]);
        var bad = host.RunSkb(host.Load(ChangeHeadAndWrite(14, 1), ProgramType.SchedCls), (byte[])packet.Clone());
        Assert.Equal(24UL, bad.ReturnValue); // 2 - (-EINVAL)
        Assert.Equal(60, bad.Packet.Length);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Vm_matches_prog_test_run(int room, int flags, int length)
    {
        KernelSkip.UnlessBpfAllowed();
        var program = ChangeHeadAndWrite(room, flags);
        using var kernelProg = BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.SchedCls, InstructionCodec.Encode(program)) { Name = "csbpf_chead" });
        var packet = Packet(length);
        var kernel = BpfSyscall.TestRun(kernelProg, new TestRunRequest { DataIn = packet, DataOutSize = 32768 });
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var host = new BpfTestHost(engine);
            var r = host.RunSkb(host.Load(program, ProgramType.SchedCls), (byte[])packet.Clone());
            Assert.True(kernel.Retval == (uint)r.ReturnValue, $"change_head({room}, {flags}) on {length} bytes, {engine}: kernel {kernel.Retval}, VM {(uint)r.ReturnValue}");
            Assert.Equal(kernel.DataOut, r.Packet);
        }
    }
}
