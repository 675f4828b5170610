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
/// XDP programs written in C# with Bpf.XdpAdjustHead / Bpf.XdpAdjustTail: the compiler emits helpers 44/65, the
/// managed verifier accepts them (they reload ctx->data after the call), and the VM (both engines) gives the
/// verdict and output bytes BPF_PROG_TEST_RUN gives.
/// </summary>
public class XdpAdjustCompiledTests
{
    /// <summary>Pushes a 4-byte 802.1Q tag (TPID 0x8100, VLAN 42) after the MAC addresses.</summary>
    public const string PushVlanTag = @"public static unsafe partial class P
{
    [Xdp]
    static int Entry(xdp_md* ctx)
    {
        byte* d = (byte*)ctx->data;
        if (d + 14 > (byte*)ctx->data_end) return 1;
        ushort proto = *(ushort*)(d + 12);
        if (Bpf.XdpAdjustHead(ctx, -4) != 0) return 1;
        d = (byte*)ctx->data;                       // old packet pointers are invalid after the call
        if (d + 18 > (byte*)ctx->data_end) return 1;
        *(ulong*)d = *(ulong*)(d + 4);              // MACs move 4 bytes to the front
        *(uint*)(d + 8) = *(uint*)(d + 12);
        *(ushort*)(d + 12) = Bpf.Htons(0x8100);
        *(ushort*)(d + 14) = Bpf.Htons(42);
        *(ushort*)(d + 16) = proto;
        return 2;
    }
}";

    /// <summary>Trims a 4-byte trailer (e.g. an FCS) and marks the first byte; runts are dropped.</summary>
    public const string TrimTrailer = @"public static unsafe partial class P
{
    [Xdp]
    static int Entry(xdp_md* ctx)
    {
        if (Bpf.XdpAdjustTail(ctx, -4) != 0) return 1;
        byte* d = (byte*)ctx->data;
        if (d + 1 > (byte*)ctx->data_end) return 1;
        d[0] = 0xee;
        return 3;
    }
}";

    private static Instruction[] Compile(string body) =>
        DifferentialHarness.CompileClass("P", ("P.cs", TestCompilation.Usings + body));

    public static IEnumerable<object[]> Programs() => new[] { new object[] { "push" }, new object[] { "trim" } };

    private static Instruction[] Named(string name) => Compile(name == "push" ? PushVlanTag : TrimTrailer);

    private static IEnumerable<byte[]> Packets()
    {
        var rng = new Random(44);
        foreach (int len in new[] { 14, 17, 18, 60, 1500 }) // test_run refuses packets under ETH_HLEN
        {
            var p = new byte[len];
            rng.NextBytes(p);
            yield return p;
        }
    }

    [Theory]
    [InlineData("push", 44)]
    [InlineData("trim", 65)]
    public void Calls_the_helper_and_the_managed_verifier_accepts(string name, int helper)
    {
        var code = Named(name);
        Assert.Single(code, i => i.IsJump && i.JmpOp == JmpOp.Call && i.Src == 0 && i.Imm == helper);
        var result = BpfVerifier.Verify(code, new VerifierProgramSpec(VerifierProgramType.Xdp) { Name = name });
        Assert.True(result.IsAccepted, string.Join("\n", result.Errors.Select(e => $"{e.InstructionIndex}: {e.Message}")));
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void Push_prepends_the_tag_in_the_vm(ExecutionEngine engine)
    {
        var packet = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();
        using var host = new BpfTestHost(engine);
        var r = host.RunXdp(host.Load(Named("push"), ProgramType.Xdp, "Entry"), (byte[])packet.Clone());
        Assert.Equal(2UL, r.ReturnValue);
        var expected = packet[..12].Concat(new byte[] { 0x81, 0x00, 0x00, 42 }).Concat(packet[12..]).ToArray();
        Assert.Equal(expected, r.Packet);
    }

    [SkippableTheory]
    [MemberData(nameof(Programs))]
    public void Vm_matches_prog_test_run(string name)
    {
        KernelSkip.UnlessBpfAllowed();
        var code = Named(name);
        using var kernelProg = BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypes.Xdp, InstructionCodec.Encode(code)) { Name = "csbpf_adj_" + name });
        foreach (var packet in Packets())
        {
            var kernel = BpfSyscall.TestRun(kernelProg, new TestRunRequest { DataIn = packet, DataOutSize = 4096 });
            foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
            {
                using var host = new BpfTestHost(engine);
                var r = host.RunXdp(host.Load(code, ProgramType.Xdp, "Entry"), (byte[])packet.Clone());
                Assert.True(kernel.Retval == (uint)r.ReturnValue, $"{name}, {engine}, {packet.Length} bytes: kernel {kernel.Retval}, VM {(uint)r.ReturnValue}");
                Assert.Equal(kernel.DataOut, r.Packet);
            }
        }
    }
}
