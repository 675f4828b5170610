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

        var relos = obj.BtfExt!.CoreRelos.Single(s => s.SectionName == "tc").Records;
        Assert.NotEmpty(relos);
        foreach (var relo in relos)
        {
            var result = CoreResolver.Resolve(obj.Btf!, relo, vmlinux);
            Assert.False(result.Poison, result.Description);
            CorePatcher.Apply(code, (int)relo.InsnOffset / 8, relo, result);
        }
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
}
