using System;
using System.Collections.Generic;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using Xunit;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Vm.Tests.KernelAgreement;

/// <summary>
/// bpf_skb_pull_data (39) in a tc program: the VM answers 0 or -ENOMEM where the kernel does, and the packet
/// written through the reloaded data pointer afterwards is the kernel's (BPF_PROG_TEST_RUN data_out).
/// </summary>
public sealed class SkbPullDataAgreementTests
{
    /// <summary>pull_data(len); reload data/data_end; write 0x5a at data[0] when it fits; return 2 - result.</summary>
    public static Instruction[] PullAndWrite(int length) =>
    [
        Mov64Reg(R6, R1),
        Mov64Reg(R1, R6), Mov64Imm(R2, length), CallHelper(39),
        Mov64Reg(R7, R0),
        Ldx(MemSize.W, R2, R6, 76), Ldx(MemSize.W, R3, R6, 80),
        Mov64Reg(R4, R2), Alu64Imm(AluOp.Add, R4, 1), Jmp(JmpOp.Jgt, R4, R3, 1),
        St(MemSize.B, R2, 0, 0x5a),
        Mov64Imm(R0, 2), Alu64Reg(AluOp.Sub, R0, R7), Exit(),
    ];

    public static IEnumerable<object[]> Cases()
    {
        foreach (int len in new[] { 14, 60 })
            foreach (int pull in new[] { 0, 1, len, len + 1, 4096 })
                yield return new object[] { pull, len };
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
    public void Pull_within_the_packet_succeeds_and_past_it_is_enomem(ExecutionEngine engine)
    {
        using var host = new BpfTestHost(engine);
        var ok = host.RunSkb(host.Load(PullAndWrite(60), ProgramType.SchedCls), Packet(60));
        Assert.Equal(2UL, ok.ReturnValue);
        Assert.Equal(0x5a, ok.Packet[0]);
        var tooLong = host.RunSkb(host.Load(PullAndWrite(61), ProgramType.SchedCls), Packet(60));
        Assert.Equal(14UL, tooLong.ReturnValue); // 2 - (-ENOMEM)
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Vm_matches_prog_test_run(int pull, int length)
    {
        KernelSkip.UnlessBpfAllowed();
        var program = PullAndWrite(pull);
        using var kernelProg = BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.SchedCls, InstructionCodec.Encode(program)) { Name = "csbpf_pull" });
        var packet = Packet(length);
        var kernel = BpfSyscall.TestRun(kernelProg, new TestRunRequest { DataIn = packet, DataOutSize = 4096 });
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var host = new BpfTestHost(engine);
            var r = host.RunSkb(host.Load(program, ProgramType.SchedCls), (byte[])packet.Clone());
            Assert.True(kernel.Retval == (uint)r.ReturnValue, $"pull {pull} of {length} bytes, {engine}: kernel {kernel.Retval}, VM {(uint)r.ReturnValue}");
            Assert.Equal(kernel.DataOut, r.Packet);
        }
    }
}
