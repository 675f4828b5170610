using System;
using System.Net.Sockets;
using CSharpBpf.Linux.Cgroups;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Programs;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests.CompiledKinds;

/// <summary>
/// The C# twins (tests/fixtures/kernelkinds) of the cgroup seeds, compiled by CSharpBpf, attached to a
/// child cgroup: they must behave as the clang programs do (the same <see cref="CgroupScenarioTests"/>).
/// </summary>
[Collection("kernel")]
public sealed class CompiledCgroupKindsTests : CgroupScenarioTests
{
    public CompiledCgroupKindsTests(ITestOutputHelper output) : base(output) { }

    protected override BpfObject LoadSockOps() => BpfObject.Load(KernelKindFixtures.Object("SockOpsMark.bpf.o"));
    protected override BpfObject LoadSkbStorage() => BpfObject.Load(KernelKindFixtures.Object("SkbStorage.bpf.o"));
    protected override BpfObject LoadSysctlSockopt() => BpfObject.Load(KernelKindFixtures.Object("SysctlSockopt.bpf.o"));

    /// <summary>getsockopt(SO_COOKIE): the cookie bpf_get_socket_cookie returns for this socket.</summary>
    private static ulong SocketCookie(Socket s)
    {
        var buffer = new byte[8];
        Assert.Equal(8, s.GetRawSocketOption(SolSocket, SoCookie, buffer));
        return BitConverter.ToUInt64(buffer, 0);
    }

    [SkippableFact]
    public void CSharp_cookie_keyed_counter_counts_the_same_packets()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(KernelKindFixtures.Object("CookieCount.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var egress = Attach.Cgroup(obj.Program("count_by_cookie"), cg.Path, BpfAttachType.CgroupInetEgress);
        using var conn = ConnectFrom(cg);
        ExchangeTenSegments(conn);
        ulong cookie = SocketCookie(conn.Client);
        Assert.True(obj.Map("per_cookie").TryLookup(cookie, out ulong packets), "no entry under the client's socket cookie");
        Output.WriteLine($"cookie {cookie}: {packets} egress packets");
        Assert.True(packets >= 11, $"counted {packets}");
    }
}
