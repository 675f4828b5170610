using CSharpBpf.Linux.Cgroups;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Programs;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests;

/// <summary>sock_ops, cgroup_skb with sk_storage, sysctl and sockopt hooks (the clang seeds) on a child cgroup v2 directory.</summary>
[Collection("kernel")]
public sealed class CgroupProgramTests : CgroupScenarioTests
{
    public CgroupProgramTests(ITestOutputHelper output) : base(output) { }

    protected override BpfObject LoadSockOps() => BpfObject.Load(Fixtures.Linux("sockops_mark.bpf.o"));
    protected override BpfObject LoadSkbStorage() => BpfObject.Load(Fixtures.Linux("skb_storage.bpf.o"));
    protected override BpfObject LoadSysctlSockopt() => BpfObject.Load(Fixtures.Linux("sysctl_sockopt.bpf.o"));

    [SkippableFact]
    public void Multi_and_override_flags_reach_the_kernel()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(Fixtures.Linux("skb_storage.bpf.o"));
        using var cg = new TemporaryCgroup();
        using (Attach.Cgroup(obj.Program("count_egress"), cg.Path, BpfAttachType.CgroupInetEgress, CgroupAttachFlags.AllowOverride))
        {
            // An override attachment admits no second program on the same cgroup and hook.
            var ex = Assert.Throws<BpfSyscallException>(() => Attach.Cgroup(obj.Program("count_ingress"), cg.Path, BpfAttachType.CgroupInetEgress, CgroupAttachFlags.AllowMulti));
            Assert.Equal("BPF_PROG_ATTACH", ex.Command);
        }
        using var a = Attach.Cgroup(obj.Program("count_egress"), cg.Path, BpfAttachType.CgroupInetEgress, CgroupAttachFlags.AllowMulti);
        using var b = Attach.Cgroup(obj.Program("count_ingress"), cg.Path, BpfAttachType.CgroupInetEgress, CgroupAttachFlags.AllowMulti);
        using var link = Attach.CgroupLink(obj.Program("count_ingress"), cg.Path, BpfAttachType.CgroupInetIngress);
        Assert.True(link.Id > 0);
    }

    [SkippableFact]
    public void Cgroup_skb_runs_under_test_run()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(Fixtures.Linux("skb_storage.bpf.o"));
        var packet = new byte[64];
        packet[12] = 0x08; // EtherType IPv4
        packet[14] = 0x45; // IPv4, IHL 5
        var r = obj.Program("count_egress").TestRun(packet, repeat: 3);
        Assert.Equal(1u, r.ReturnValue);
        // No socket behind a test_run packet: only the per-direction total moves.
        Assert.True(obj.Map("totals").TryLookup(0u, out ulong total));
        Assert.Equal(3UL, total);
    }
}
