using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Differential;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using CSharpBpf.Verifier;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Helpers;

/// <summary>
/// A tc program in C# that pulls the Ethernet header (Bpf.SkbPullData) and pushes an 802.1Q tag in front of it
/// (Bpf.SkbChangeHead): helpers 39/43, accepted by the managed verifier, and the VM (both engines) gives
/// BPF_PROG_TEST_RUN's verdict and bytes.
/// </summary>
public class SkbDataCompiledTests
{
    public const string TcPushVlanTag = @"public static unsafe partial class P
{
    [SchedCls]
    static int Entry(__sk_buff* skb)
    {
        if (Bpf.SkbPullData(skb, 14) != 0) return 2;
        byte* d = (byte*)skb->data;
        if (d + 14 > (byte*)skb->data_end) return 2;
        ushort proto = *(ushort*)(d + 12);
        if (Bpf.SkbChangeHead(skb, 4, 0) != 0) return 2;
        d = (byte*)skb->data;                       // old packet pointers are invalid after the call
        if (d + 18 > (byte*)skb->data_end) return 2;
        *(ulong*)d = *(ulong*)(d + 4);
        *(uint*)(d + 8) = *(uint*)(d + 12);
        *(ushort*)(d + 12) = Bpf.Htons(0x8100);
        *(ushort*)(d + 14) = Bpf.Htons(7);
        *(ushort*)(d + 16) = proto;
        return 0;
    }
}";

    private static Instruction[] Compile() =>
        DifferentialHarness.CompileClass("P", ("P.cs", TestCompilation.Usings + TcPushVlanTag));

    [Fact]
    public void Calls_both_helpers_and_the_managed_verifier_accepts()
    {
        var code = Compile();
        Assert.Single(code, i => i.IsJump && i.JmpOp == JmpOp.Call && i.Src == 0 && i.Imm == 39);
        Assert.Single(code, i => i.IsJump && i.JmpOp == JmpOp.Call && i.Src == 0 && i.Imm == 43);
        var result = BpfVerifier.Verify(code, new VerifierProgramSpec(VerifierProgramType.SchedCls) { Name = "tcvlan" });
        Assert.True(result.IsAccepted, string.Join("\n", result.Errors.Select(e => $"{e.InstructionIndex}: {e.Message}")));
    }

    [SkippableFact]
    public void Vm_matches_prog_test_run()
    {
        KernelSkip.UnlessBpfAllowed();
        var code = Compile();
        using var kernelProg = BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.SchedCls, InstructionCodec.Encode(code)) { Name = "csbpf_tcvlan" });
        var rng = new Random(43);
        foreach (int len in new[] { 14, 60, 1500 })
        {
            var packet = new byte[len];
            rng.NextBytes(packet);
            var kernel = BpfSyscall.TestRun(kernelProg, new TestRunRequest { DataIn = packet, DataOutSize = 4096 });
            Assert.Equal(len + 4, kernel.DataOut.Length);
            foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
            {
                using var host = new BpfTestHost(engine);
                var r = host.RunSkb(host.Load(code, ProgramType.SchedCls, "Entry"), (byte[])packet.Clone());
                Assert.True(kernel.Retval == (uint)r.ReturnValue, $"{engine}, {len} bytes: kernel {kernel.Retval}, VM {(uint)r.ReturnValue}");
                Assert.Equal(kernel.DataOut, r.Packet);
            }
        }
    }
}
