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

/// <summary>
/// The cgroup program scenarios, one test each, run against every backend object that implements
/// them: the clang seeds (<see cref="CgroupProgramTests"/>) and their C# twins
/// (<see cref="CompiledKinds.CompiledCgroupKindsTests"/>) — a twin must pass exactly what its seed
/// passes. Each scenario makes its own temporary cgroup and detaches everything before it returns.
/// </summary>
[Collection("kernel")]
public abstract class CgroupScenarioTests
{
    protected readonly ITestOutputHelper Output;

    protected CgroupScenarioTests(ITestOutputHelper output) => Output = output;

    /// <summary>The object with sock_ops <c>set_mark</c> and its op counter map <c>ops</c>.</summary>
    protected abstract BpfObject LoadSockOps();
    /// <summary>The object with cgroup_skb <c>count_egress</c>/<c>count_ingress</c>, sk_storage <c>sk_counts</c> and <c>totals</c>.</summary>
    protected abstract BpfObject LoadSkbStorage();
    /// <summary>The object with <c>sysctl_policy</c>, <c>getsockopt_ttl</c> and <c>setsockopt_priority</c>.</summary>
    protected abstract BpfObject LoadSysctlSockopt();

    [SkippableFact]
    public void Sock_ops_marks_connections_made_from_the_child_cgroup_only()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = LoadSockOps();
        SockOpsMarksConnectionsFromTheCgroupOnly(obj, Output);
    }

    [SkippableFact]
    public void Sk_storage_counts_per_socket_and_reads_back_by_socket_fd()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = LoadSkbStorage();
        SkStorageCountsPerSocket(obj, Output);
    }

    [SkippableFact]
    public void Sysctl_hook_denies_a_read_and_rewrites_a_write_in_a_private_netns()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = LoadSysctlSockopt();
        SysctlGuardDeniesAReadAndRewritesAWrite(obj);
    }

    [SkippableFact]
    public void Sockopt_hooks_rewrite_getsockopt_and_setsockopt_values()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = LoadSysctlSockopt();
        SockoptHooksRewriteValues(obj);
    }

    protected const int SolSocket = 1, SoMark = 36, SoCookie = 57, SoPriority = 12, SolIp = 0, IpTtl = 2;
    private const int OpTimeoutInit = 1, OpRwndInit = 2, OpTcpConnect = 3, OpActiveEstablished = 4;

    protected static Socket NewTcp() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>Creates a socket while this process sits in the cgroup (a socket belongs to its creator's cgroup).</summary>
    protected static Socket SocketIn(TemporaryCgroup cg)
    {
        using (cg.Enter()) return NewTcp();
    }

    /// <summary>A loopback connection whose client socket was created inside <paramref name="cg"/>.</summary>
    protected static Loopback ConnectFrom(TemporaryCgroup cg)
    {
        var client = SocketIn(cg);
        return Loopback.Connect(createClient: () => client);
    }

    /// <summary>Ten 100-byte segments client → server, each received before the next is sent (no coalescing).</summary>
    protected static void ExchangeTenSegments(Loopback conn)
    {
        conn.Client.NoDelay = true;
        var one = new byte[100];
        var sink = new byte[1000];
        for (int i = 0; i < 10; i++)
        {
            conn.Client.Send(one);
            conn.Server.Receive(sink);
        }
    }

    /// <summary>
    /// sock_ops program <c>set_mark</c> with op counter map <c>ops</c>: connections made from the cgroup get
    /// SO_MARK 0xc5b (the server side and outside connections do not), and the callbacks are counted.
    /// </summary>
    private static void SockOpsMarksConnectionsFromTheCgroupOnly(BpfObject obj, ITestOutputHelper output)
    {
        using var cg = new TemporaryCgroup();
        using var attached = Attach.Cgroup(obj.Program("set_mark"), cg.Path, BpfAttachType.CgroupSockOps, CgroupAttachFlags.AllowMulti);
        using (var conn = ConnectFrom(cg))
        {
            Assert.Equal(0xc5b, Loopback.GetIntOption(conn.Client, SolSocket, SoMark));
            Assert.Equal(0, Loopback.GetIntOption(conn.Server, SolSocket, SoMark));
            Assert.Equal(1L << 20, conn.Transfer(1L << 20));
        }
        using (var outside = Loopback.Connect())
            Assert.Equal(0, Loopback.GetIntOption(outside.Client, SolSocket, SoMark));

        var ops = obj.Map("ops");
        ulong Count(int op) { Assert.True(ops.TryLookup(op, out ulong v)); return v; }
        output.WriteLine($"timeout_init {Count(OpTimeoutInit)} rwnd_init {Count(OpRwndInit)} connect {Count(OpTcpConnect)} active_established {Count(OpActiveEstablished)}");
        Assert.Equal(1UL, Count(OpTcpConnect));
        Assert.Equal(1UL, Count(OpActiveEstablished));
        Assert.True(Count(OpTimeoutInit) >= 1);
        Assert.True(Count(OpRwndInit) >= 1);
    }

    /// <summary>
    /// cgroup_skb <c>count_egress</c>/<c>count_ingress</c> with sk_storage <c>sk_counts</c> and <c>totals</c>:
    /// per-socket packet counts read back by socket fd; sockets made outside the cgroup get no storage.
    /// </summary>
    private static void SkStorageCountsPerSocket(BpfObject obj, ITestOutputHelper output)
    {
        using var cg = new TemporaryCgroup();
        using var egress = Attach.Cgroup(obj.Program("count_egress"), cg.Path, BpfAttachType.CgroupInetEgress);
        using var ingress = Attach.Cgroup(obj.Program("count_ingress"), cg.Path, BpfAttachType.CgroupInetIngress);
        using var conn = ConnectFrom(cg);
        ExchangeTenSegments(conn);

        var counts = obj.Map("sk_counts");
        var clientCounts = counts.Lookup(BitConverter.GetBytes((int)conn.Client.Handle))!;
        ulong egressPackets = BitConverter.ToUInt64(clientCounts, 0), ingressPackets = BitConverter.ToUInt64(clientCounts, 8);
        output.WriteLine($"client socket: egress {egressPackets}, ingress {ingressPackets}");
        Assert.True(egressPackets >= 11, $"client sent SYN/ACK + 10 data segments, counted {egressPackets}");
        Assert.True(ingressPackets >= 1);
        // The server socket was created outside the cgroup: no storage for it.
        Assert.Null(counts.Lookup(BitConverter.GetBytes((int)conn.Server.Handle)));
        Assert.True(obj.Map("totals").TryLookup(0u, out ulong totalEgress) && totalEgress >= egressPackets);
    }

    /// <summary>
    /// cgroup/sysctl <c>sysctl_policy</c>, run in a private network namespace: reading tcp_keepalive_intvl is
    /// denied (EPERM), a write of tcp_keepalive_time is rewritten to 777; the host's value is untouched.
    /// </summary>
    private static void SysctlGuardDeniesAReadAndRewritesAWrite(BpfObject obj)
    {
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
        Assert.Equal("7200", TestNative.ReadFile("/proc/sys/net/ipv4/tcp_keepalive_time").Text);
    }

    /// <summary>
    /// cgroup/getsockopt <c>getsockopt_ttl</c> and cgroup/setsockopt <c>setsockopt_priority</c>: inside the
    /// cgroup IP_TTL reads 99 and SO_PRIORITY 1 becomes 5; a socket outside keeps the kernel's values.
    /// </summary>
    private static void SockoptHooksRewriteValues(BpfObject obj)
    {
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
}
