using CSharpBpf.TestSupport;
using XdpRedirect;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/XdpRedirect: frames from a wired interface are redirected to its devmap_hash entry, others pass.</summary>
public sealed class XdpRedirectTests
{
    [Fact]
    public void In_the_vm_a_wired_interface_redirects_to_its_egress_and_others_pass()
    {
        var fates = Demo.RunVm(wiredIngress: 3, egress: 7, unwiredIngress: 4);
        Assert.Equal(Demo.XdpRedirect, fates[0].Verdict);
        Assert.Equal(7u, fates[0].EgressIfindex);
        Assert.Equal(Demo.XdpPass, fates[1].Verdict);
        Assert.Null(fates[1].EgressIfindex);
    }

    [SkippableFact]
    public void In_the_kernel_test_run_gives_the_same_verdicts_and_counts()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.If(Demo.WhyNotKernel() is not null, Demo.WhyNotKernel());
        var fates = Demo.RunKernel(1, 1, Demo.OtherIfindex()!.Value, out var stats);
        Assert.Equal(Demo.XdpRedirect, fates[0].Verdict);
        Assert.Equal(Demo.XdpPass, fates[1].Verdict);
        Assert.Equal(new ulong[] { 1, 1 }, stats);
    }
}
