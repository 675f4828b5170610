using CSharpBpf.Linux;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using PolicyExtension;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/PolicyExtension: SizeCap.Cap replaces Policy.Decide in the loaded Filter program; large frames then drop.</summary>
public sealed class PolicyExtensionTests
{
    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void In_the_vm_the_extension_changes_the_policy_verdicts(ExecutionEngine engine)
    {
        var v = Demo.RunVm(engine);
        Assert.Equal(Demo.XdpPass, v.SmallBefore);
        Assert.Equal(Demo.XdpPass, v.LargeBefore);
        Assert.Equal(Demo.XdpPass, v.SmallAfter);
        Assert.Equal(Demo.XdpDrop, v.LargeAfter);
    }

    [Fact]
    public void The_extension_is_a_freplace_program_of_Decide()
    {
        Assert.Contains(SizeCap.BpfObject.Programs, p => p.Name == "Cap" && p.Section == "freplace/Decide");
        Assert.Contains(Policy.BpfObject.Programs, p => p.Name == "Filter" && p.Section == "xdp");
    }

    [SkippableFact]
    public void In_the_kernel_the_extension_changes_the_verdicts_where_freplace_is_allowed()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.If(Demo.WhyNotKernel() is not null, Demo.WhyNotKernel());
        Verdicts v;
        try
        {
            v = Demo.RunKernel();
        }
        catch (BpfException e) when (e.Message.Contains("EPERM"))
        {
            throw new SkipException($"the kernel refuses program extensions here: {e.Message}");
        }
        Assert.Equal(new Verdicts(Demo.XdpPass, Demo.XdpPass, Demo.XdpPass, Demo.XdpDrop), v);
    }
}
