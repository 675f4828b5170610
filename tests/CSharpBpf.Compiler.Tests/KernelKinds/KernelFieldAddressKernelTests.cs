using System;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;

namespace CSharpBpf.Compiler.Tests.KernelKinds;

using Btf = CSharpBpf.Object.Btf.Btf;

/// <summary>
/// &amp;skb-&gt;len of the kernel's sk_buff (from bpf_cast_to_kern_ctx) read with bpf_probe_read_kernel in a tc
/// program: the compiled object's CO-RE relocations are resolved against the running kernel's BTF and the
/// program, loaded and run with BPF_PROG_TEST_RUN, must return the packet's length.
/// </summary>
public sealed class KernelFieldAddressKernelTests
{
    private const uint ProgTypeSchedCls = 3;    // BPF_PROG_TYPE_SCHED_CLS
    private const byte PseudoKfuncCall = 2;     // BPF_PSEUDO_KFUNC_CALL

    private const string Source = @"using CSharpBpf;
using CSharpBpf.Kernel;
namespace K;
public static unsafe class KernCtx
{
    [Kfunc] public static sk_buff* bpf_cast_to_kern_ctx(void* ctx) => throw new BpfOnlyException(""bpf_cast_to_kern_ctx"");
}
public static unsafe partial class SkbLen
{
    [SchedCls]
    static int len(__sk_buff* ctx)
    {
        sk_buff* skb = KernCtx.bpf_cast_to_kern_ctx(ctx);
        uint n = 0;
        if (Bpf.ProbeReadKernel(&n, 4, &skb->len) != 0) return -1;
        return (int)n;
    }
}";

    [SkippableFact]
    public void Probe_read_through_a_relocated_field_address_reads_the_kernel_field()
    {
        KernelSkip.UnlessBpfAllowed();
        var vmlinux = BtfReader.Read(File.ReadAllBytes("/sys/kernel/btf/vmlinux"));
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(Source, "K.SkbLen"));
        var prog = obj.FindProgramSection("tc")!;
        var code = prog.Instructions.ToList();

        ApplyCore(obj, "tc", code, vmlinux);
        foreach (var r in prog.Relocations.Where(r => r.Kind == BpfRelocationKind.KfuncCall))
        {
            var func = vmlinux.Find<BtfFunc>(r.SymbolName);
            Skip.If(func is null, $"the running kernel has no kfunc {r.SymbolName}");
            code[r.InstructionIndex] = code[r.InstructionIndex].WithSrc(PseudoKfuncCall).WithImm((int)func!.Id);
        }
        Assert.Empty(prog.Relocations.Where(r => r.Kind != BpfRelocationKind.KfuncCall));

        using var fd = BpfSyscall.ProgLoad(new ProgLoadRequest(ProgTypeSchedCls, InstructionCodec.Encode(code)) { Name = "csbpf_addr" });
        foreach (int size in new[] { 64, 99 })
        {
            var run = BpfSyscall.TestRun(fd, new byte[size]);
            Assert.Equal((uint)size, run.Retval);
        }
    }

    /// <summary>
    /// struct_ops writes through a relocated address (a ref local to snd_cwnd, an element of icsk_ca_priv): the
    /// kernel's btf_struct_access must accept the base + relocated-offset form, as it does clang's.
    /// </summary>
    [SkippableTheory]
    [InlineData("ref uint c = ref ((tcp_sock*)sk)->snd_cwnd; c = 10;")]
    [InlineData("((inet_connection_sock*)sk)->icsk_ca_priv[2] = 7;")]
    [InlineData("ulong* priv = &((inet_connection_sock*)sk)->icsk_ca_priv[0]; priv[1] = 3;")]
    public void A_congestion_control_may_write_through_a_relocated_field_address(string write)
    {
        KernelSkip.UnlessBpfAllowed();
        var vmlinux = BtfReader.Read(File.ReadAllBytes("/sys/kernel/btf/vmlinux"));
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(@"using CSharpBpf;
using CSharpBpf.Kernel;
namespace K;
[StructOps(""tcp_congestion_ops"", Name = ""w"")]
public static unsafe partial class W
{
    static void init(sock* sk) { " + write + @" }
    static uint ssthresh(sock* sk) => 2;
    static uint undo_cwnd(sock* sk) => 2;
    static void cong_avoid(sock* sk, uint ack, uint acked) { }
}", "K.W"));
        var prog = obj.FindProgramSection("struct_ops/init")!;
        Assert.Empty(prog.Relocations);
        var code = prog.Instructions.ToList();
        ApplyCore(obj, "struct_ops/init", code, vmlinux);
        var ops = vmlinux.Find<BtfStruct>("tcp_congestion_ops")!;
        using var result = BpfSyscall.TryProgLoad(new ProgLoadRequest(ProgTypeStructOps, InstructionCodec.Encode(code))
        {
            Name = "csbpf_w",
            AttachBtfId = ops.Id,
            ExpectedAttachType = (uint)ops.Members.FindIndex(m => m.Name == "init"),
        });
        Assert.True(result.Succeeded, result.Log);
    }

    private const uint ProgTypeStructOps = 27; // BPF_PROG_TYPE_STRUCT_OPS

    /// <summary>Resolves and patches every CO-RE record of a section against the running kernel (there must be one).</summary>
    private static void ApplyCore(BpfObjectFile obj, string section, System.Collections.Generic.List<Instruction> code, Btf vmlinux)
    {
        var relos = obj.BtfExt!.CoreRelos.Single(s => s.SectionName == section).Records;
        Assert.NotEmpty(relos);
        foreach (var relo in relos)
        {
            var result = CoreResolver.Resolve(obj.Btf!, relo, vmlinux);
            Assert.False(result.Poison, result.Description);
            CorePatcher.Apply(code, (int)relo.InsnOffset / 8, relo, result);
        }
    }
}
