using System;
using System.IO;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;

namespace CSharpBpf.Object.Tests.Btf;

/// <summary>
/// Proves the writer produces what the kernel's BPF_BTF_LOAD accepts, through the shared raw
/// bpf(2) helper (the Object layer must not know about the kernel, nor these tests about CSharpBpf.Linux).
/// BTF_LOAD runs without a log first (a log of all of vmlinux overflows) and asks for one only to explain a refusal.
/// </summary>
public class BtfKernelLoadTests
{
    [SkippableFact]
    public void Kernel_accepts_our_BTF_with_every_kind_it_allows()
    {
        KernelSkip.UnlessBpfAllowed();
        AssertKernelAccepts(BtfWriter.Write(BtfSamples.KernelLoadable()));
    }

    [SkippableFact]
    public void Kernel_accepts_vmlinux_BTF_as_our_writer_rewrites_it()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.IfNot(File.Exists("/sys/kernel/btf/vmlinux"), "no /sys/kernel/btf/vmlinux");
        AssertKernelAccepts(BtfWriter.Write(BtfReader.Read(File.ReadAllBytes("/sys/kernel/btf/vmlinux"))));
    }

    [SkippableFact]
    public void Kernel_rejects_a_member_beyond_its_struct_so_the_load_test_can_fail()
    {
        KernelSkip.UnlessBpfAllowed();
        var btf = new CSharpBpf.Object.Btf.Btf();
        var i = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        btf.AddStruct("small", 4).AddMember("far", i.Id, 64);
        using var load = BpfSyscall.TryBtfLoad(BtfWriter.Write(btf));
        Assert.False(load.Succeeded);
        Assert.Equal(BpfErrno.EINVAL, load.Errno);
        Assert.Contains("small", load.Log); // the BTF verifier log names the offending struct
    }

    private static void AssertKernelAccepts(byte[] bytes)
    {
        using var load = BpfSyscall.TryBtfLoad(bytes);
        Assert.True(load.Succeeded, $"BTF_LOAD failed: {BpfSyscallException.DescribeErrno(load.Errno)}\n{load.Log}");
    }
}
