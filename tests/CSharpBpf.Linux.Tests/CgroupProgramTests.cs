using System;
using System.Net.Sockets;
using CSharpBpf.Linux.Cgroups;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Programs;
using CSharpBpf.Linux.Tests.Support;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests;

/// <summary>sock_ops, cgroup_skb with sk_storage, sysctl and sockopt hooks on a child cgroup v2 directory.</summary>
[Collection("kernel")]
public sealed class CgroupProgramTests
{
    private const int SolSocket = 1, SoMark = 36, SoPriority = 12, SolIp = 0, IpTtl = 2;
    private const int OpRwndInit = 2, OpTcpConnect = 3, OpActiveEstablished = 4;
    private readonly ITestOutputHelper _out;

    public CgroupProgramTests(ITestOutputHelper output) => _out = output;

    private static Socket NewTcp() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Creates a socket while this process sits in the cgroup (a socket belongs to its creator's cgroup).</summary>
    private static Socket SocketIn(TemporaryCgroup cg)
    {
        using (cg.Enter()) return NewTcp();
    }

    [SkippableFact]
    public void Sock_ops_marks_connections_made_from_the_child_cgroup_only()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(Fixtures.Linux("sockops_mark.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var attached = Attach.Cgroup(obj.Program("set_mark"), cg.Path, BpfAttachType.CgroupSockOps, CgroupAttachFlags.AllowMulti);

        var client = SocketIn(cg);
        using (var conn = Loopback.Connect(createClient: () => client))
        {
            Assert.Equal(0xc5b, Loopback.GetIntOption(conn.Client, SolSocket, SoMark));
            Assert.Equal(0, Loopback.GetIntOption(conn.Server, SolSocket, SoMark));
            Assert.Equal(1L << 20, conn.Transfer(1L << 20));
        }
        using (var outside = Loopback.Connect())
            Assert.Equal(0, Loopback.GetIntOption(outside.Client, SolSocket, SoMark));

        var ops = obj.Map("ops");
        ulong Count(int op) { Assert.True(ops.TryLookup(op, out ulong v)); return v; }
        _out.WriteLine($"rwnd_init {Count(OpRwndInit)} connect {Count(OpTcpConnect)} active_established {Count(OpActiveEstablished)}");
        Assert.Equal(1UL, Count(OpTcpConnect));
        Assert.Equal(1UL, Count(OpActiveEstablished));
        Assert.True(Count(OpRwndInit) >= 1);
    }

    [SkippableFact]
    public void Sk_storage_counts_per_socket_and_reads_back_by_socket_fd()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(Fixtures.Linux("skb_storage.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var egress = Attach.Cgroup(obj.Program("count_egress"), cg.Path, BpfAttachType.CgroupInetEgress);
        using var ingress = Attach.Cgroup(obj.Program("count_ingress"), cg.Path, BpfAttachType.CgroupInetIngress);

        var client = SocketIn(cg);
        using var conn = Loopback.Connect(createClient: () => client);
        conn.Client.NoDelay = true;
        var one = new byte[100];
        var sink = new byte[1000];
        for (int i = 0; i < 10; i++)
        {
            conn.Client.Send(one);
            conn.Server.Receive(sink);
        }
        var counts = obj.Map("sk_counts");
        var clientCounts = counts.Lookup(BitConverter.GetBytes((int)conn.Client.Handle))!;
        ulong egressPackets = BitConverter.ToUInt64(clientCounts, 0), ingressPackets = BitConverter.ToUInt64(clientCounts, 8);
        _out.WriteLine($"client socket: egress {egressPackets}, ingress {ingressPackets}");
        Assert.True(egressPackets >= 11, $"client sent SYN/ACK + 10 data segments, counted {egressPackets}");
        Assert.True(ingressPackets >= 1);
        // The server socket was created outside the cgroup: no storage for it.
        Assert.Null(counts.Lookup(BitConverter.GetBytes((int)conn.Server.Handle)));
        Assert.True(obj.Map("totals").TryLookup(0u, out ulong totalEgress) && totalEgress >= egressPackets);
    }

    [SkippableFact]
    public void Sysctl_hook_denies_a_read_and_rewrites_a_write_in_a_private_netns()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(Fixtures.Linux("sysctl_sockopt.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var attached = Attach.Cgroup(obj.Program("sysctl_policy"), cg.Path, BpfAttachType.CgroupSysctl);
        using (cg.Enter())
        {
            var (deniedText, deniedErrno, timeText, timeErrno, writeErrno, after) = TestNative.InPrivateNetns(() =>
            {
                var denied = TestNative.ReadFile("/proc/sys/net/ipv4/tcp_keepalive_intvl");
                var before = TestNative.ReadFile("/proc/sys/net/ipv4/tcp_keepalive_time");
                int w = TestNative.WriteFile("/proc/sys/net/ipv4/tcp_keepalive_time", "100");
                var now = TestNative.ReadFile("/proc/sys/net/ipv4/tcp_keepalive_time");
                return (denied.Text, denied.Errno, before.Text, before.Errno, w, now.Text);
            });
            Assert.Null(deniedText);
            Assert.Equal(Native.Errno.EPERM, deniedErrno);
            Assert.Equal(0, timeErrno);
            Assert.Equal("7200", timeText);
            Assert.Equal(0, writeErrno);
            Assert.Equal("777", after);
        }
        // The host namespace's value is untouched.
        Assert.Equal("7200", TestNative.ReadFile("/proc/sys/net/ipv4/tcp_keepalive_time").Text);
    }

    [SkippableFact]
    public void Sockopt_hooks_rewrite_getsockopt_and_setsockopt_values()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(Fixtures.Linux("sysctl_sockopt.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var get = Attach.Cgroup(obj.Program("getsockopt_ttl"), cg.Path, BpfAttachType.CgroupGetsockopt);
        using var set = Attach.Cgroup(obj.Program("setsockopt_priority"), cg.Path, BpfAttachType.CgroupSetsockopt);
        using var inside = SocketIn(cg);
        using var outside = NewTcp();
        using (cg.Enter())
        {
            inside.SetRawSocketOption(SolSocket, SoPriority, BitConverter.GetBytes(1));
            Assert.Equal(5, Loopback.GetIntOption(inside, SolSocket, SoPriority));
            Assert.Equal(99, Loopback.GetIntOption(inside, SolIp, IpTtl));
        }
        outside.SetRawSocketOption(SolSocket, SoPriority, BitConverter.GetBytes(1));
        Assert.Equal(1, Loopback.GetIntOption(outside, SolSocket, SoPriority));
        Assert.Equal(64, Loopback.GetIntOption(outside, SolIp, IpTtl));
    }

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
