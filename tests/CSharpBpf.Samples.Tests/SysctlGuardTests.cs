using CSharpBpf.TestSupport;
using SysctlGuard;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/SysctlGuard: one sysctl write denied, reads and other writes allowed, SO_PRIORITY capped.</summary>
public sealed class SysctlGuardTests
{
    [Theory]
    [InlineData(6, Policy.MaxPriority)]
    [InlineData(1, 1)]
    public void In_the_vm_the_guard_denies_only_the_keepalive_write_and_priorities_are_capped(int asked, int expected)
    {
        var o = Demo.RunVm(asked);
        Assert.True(o.ReadAllowed);
        Assert.False(o.KeepaliveWriteAllowed);
        Assert.True(o.OtherWriteAllowed);
        Assert.Equal(expected, o.PriorityGot);
    }

    [SkippableFact]
    public void In_the_kernel_the_cgroup_gets_eperm_and_a_capped_priority()
    {
        KernelSkip.UnlessBpfAllowed();
        var o = Demo.RunKernel(6);
        Assert.True(o.ReadAllowed);
        Assert.False(o.KeepaliveWriteAllowed);
        Assert.True(o.OtherWriteAllowed);
        Assert.Equal(Policy.MaxPriority, o.PriorityGot);
    }
}
