using CSharpBpf.TestSupport;
using SockOpsTunables;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>samples/SockOpsTunables: replies and socket options, in the VM and on real connections.</summary>
public sealed class SockOpsTunablesTests
{
    [Fact]
    public void In_the_vm_the_program_replies_to_the_init_ops_and_tunes_the_established_socket()
    {
        var vm = VmDemo.Run();
        Assert.Equal((uint)Tunables.SynRtoJiffies, vm.TimeoutReply);
        Assert.Equal((uint)Tunables.InitialRwndSegments, vm.RwndReply);
        Assert.Equal(1u, vm.NoDelay);
        Assert.Equal((uint)Tunables.InitialCwnd, vm.Cwnd);
        Assert.Equal(new ulong[] { 0, 1, 1, 1, 1, 0 }, vm.OpCounts);
    }

    [SkippableFact]
    public void In_the_kernel_only_connections_from_the_cgroup_are_tuned()
    {
        KernelSkip.UnlessBpfAllowed();
        var k = KernelDemo.Run();
        Assert.Equal(1, k.InsideNoDelay);
        Assert.Equal((uint)Tunables.InitialCwnd, k.InsideCwnd);
        Assert.Equal(0, k.OutsideNoDelay);
        Assert.Equal(10u, k.OutsideCwnd);
        Assert.Equal(1UL, k.OpCounts[Tunables.TimeoutInit]);
        Assert.Equal(1UL, k.OpCounts[Tunables.ActiveEstablishedCb]);
        Assert.True(k.OpCounts[Tunables.RwndInit] >= 1);
    }
}
