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

namespace CSharpBpf.Linux.Tests.CompiledKinds;

/// <summary>
/// The C# twins (tests/fixtures/kernelkinds) of the cgroup seeds, compiled by CSharpBpf, attached to a
/// child cgroup: they must behave as the clang programs do in CgroupProgramTests.
/// </summary>
[Collection("kernel")]
public sealed class CompiledCgroupKindsTests
{
    private const int SolSocket = 1, SoMark = 36, SoCookie = 57, SoPriority = 12, SolIp = 0, IpTtl = 2;
    private const int OpTimeoutInit = 1, OpRwndInit = 2, OpTcpConnect = 3, OpActiveEstablished = 4;
    private readonly ITestOutputHelper _out;

    public CompiledCgroupKindsTests(ITestOutputHelper output) => _out = output;

    private static Socket NewTcp() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>getsockopt(SO_COOKIE): the cookie bpf_get_socket_cookie returns for this socket.</summary>
    private static ulong SocketCookie(Socket s)
    {
        var buffer = new byte[8];
        Assert.Equal(8, s.GetRawSocketOption(SolSocket, SoCookie, buffer));
        return BitConverter.ToUInt64(buffer, 0);
    }

    private static Socket SocketIn(TemporaryCgroup cg)
    {
        using (cg.Enter()) return NewTcp();
    }

    [SkippableFact]
    public void CSharp_sock_ops_answers_callbacks_and_marks_connections_from_the_cgroup()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(KernelKindFixtures.Object("SockOpsMark.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var attached = Attach.Cgroup(obj.Program("set_mark"), cg.Path, BpfAttachType.CgroupSockOps, CgroupAttachFlags.AllowMulti);

        var client = SocketIn(cg);
        using (var conn = Loopback.Connect(createClient: () => client))
        {
            Assert.Equal(0xc5b, Loopback.GetIntOption(conn.Client, SolSocket, SoMark));
            Assert.Equal(0, Loopback.GetIntOption(conn.Server, SolSocket, SoMark));
            Assert.Equal(1L << 20, conn.Transfer(1L << 20));
        }
        var ops = obj.Map("ops");
        ulong Count(int op) { Assert.True(ops.TryLookup(op, out ulong v)); return v; }
        _out.WriteLine($"timeout_init {Count(OpTimeoutInit)} rwnd_init {Count(OpRwndInit)} connect {Count(OpTcpConnect)} active_established {Count(OpActiveEstablished)}");
        Assert.Equal(1UL, Count(OpTcpConnect));
        Assert.Equal(1UL, Count(OpActiveEstablished));
        Assert.True(Count(OpTimeoutInit) >= 1);
        Assert.True(Count(OpRwndInit) >= 1);
    }

    [SkippableFact]
    public void CSharp_sk_storage_counts_per_socket()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(KernelKindFixtures.Object("SkbStorage.bpf.o"));
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
        Assert.Null(counts.Lookup(BitConverter.GetBytes((int)conn.Server.Handle)));
        Assert.True(obj.Map("totals").TryLookup(0u, out ulong totalEgress) && totalEgress >= egressPackets);
    }

    [SkippableFact]
    public void CSharp_cookie_keyed_counter_counts_the_same_packets()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(KernelKindFixtures.Object("CookieCount.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var egress = Attach.Cgroup(obj.Program("count_by_cookie"), cg.Path, BpfAttachType.CgroupInetEgress);
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
        ulong cookie = SocketCookie(conn.Client);
        Assert.True(obj.Map("per_cookie").TryLookup(cookie, out ulong packets), "no entry under the client's socket cookie");
        _out.WriteLine($"cookie {cookie}: {packets} egress packets");
        Assert.True(packets >= 11, $"counted {packets}");
    }

    [SkippableFact]
    public void CSharp_sysctl_guard_denies_a_read_and_rewrites_a_write_in_a_private_netns()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(KernelKindFixtures.Object("SysctlSockopt.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var attached = Attach.Cgroup(obj.Program("sysctl_policy"), cg.Path, BpfAttachType.CgroupSysctl);
        using (cg.Enter())
        {
            var (deniedText, deniedErrno, timeText, writeErrno, after) = TestNative.InPrivateNetns(() =>
            {
                var denied = TestNative.ReadFile("/proc/sys/net/ipv4/tcp_keepalive_intvl");
                var before = TestNative.ReadFile("/proc/sys/net/ipv4/tcp_keepalive_time");
                int w = TestNative.WriteFile("/proc/sys/net/ipv4/tcp_keepalive_time", "100");
                var now = TestNative.ReadFile("/proc/sys/net/ipv4/tcp_keepalive_time");
                return (denied.Text, denied.Errno, before.Text, w, now.Text);
            });
            Assert.Null(deniedText);
            Assert.Equal(Native.Errno.EPERM, deniedErrno);
            Assert.Equal("7200", timeText);
            Assert.Equal(0, writeErrno);
            Assert.Equal("777", after);
        }
    }

    [SkippableFact]
    public void CSharp_sockopt_hooks_rewrite_getsockopt_and_setsockopt_values()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(KernelKindFixtures.Object("SysctlSockopt.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var get = Attach.Cgroup(obj.Program("getsockopt_ttl"), cg.Path, BpfAttachType.CgroupGetsockopt);
        using var set = Attach.Cgroup(obj.Program("setsockopt_priority"), cg.Path, BpfAttachType.CgroupSetsockopt);
        using var inside = SocketIn(cg);
        using (cg.Enter())
        {
            inside.SetRawSocketOption(SolSocket, SoPriority, BitConverter.GetBytes(1));
            Assert.Equal(5, Loopback.GetIntOption(inside, SolSocket, SoPriority));
            Assert.Equal(99, Loopback.GetIntOption(inside, SolIp, IpTtl));
        }
    }
}
