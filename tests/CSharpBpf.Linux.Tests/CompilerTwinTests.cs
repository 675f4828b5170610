using System;
using System.Linq;
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

/// <summary>The compiler's object for a C# twin and clang's object for the C original, through the same loader: same results.</summary>
[Collection("kernel")]
public sealed class CompilerTwinTests
{
    private readonly ITestOutputHelper _out;

    public CompilerTwinTests(ITestOutputHelper output) => _out = output;

    private static (uint Redirect, ulong Frames)[] Exercise(BpfObject obj)
    {
        var frame = new byte[64];
        frame[12] = 0x08;
        var ports = obj.Map("ports");
        var results = new (uint, ulong)[3];
        for (int round = 0; round < 3; round++)
        {
            if (round == 1) ports.Update(7u, 1u);            // lo
            if (round == 2) ports.Delete(BitConverter.GetBytes(7u));
            uint verdict = obj.Program("redirect").TestRun(frame).ReturnValue;
            obj.Program("count_packets").TestRun(frame, repeat: (uint)(round + 2));
            Assert.True(obj.Map("frames").TryLookup(0u, out ulong frames));
            results[round] = (verdict, frames);
        }
        return results;
    }

    [SkippableFact]
    public void Xdp_twin_compiled_from_csharp_behaves_like_the_clang_object()
    {
        KernelSkip.UnlessBpfAllowed();
        using var clang = BpfObject.Load(Fixtures.Linux("xdp_redirect.bpf.o"));
        using var csharp = BpfObject.Load(Fixtures.Linux("compiled/XdpTwin.bpf.o"));
        var expected = Exercise(clang);
        var actual = Exercise(csharp);
        _out.WriteLine("clang:  " + string.Join(" ", expected));
        _out.WriteLine("csharp: " + string.Join(" ", actual));
        Assert.Equal(new (uint, ulong)[] { (2, 2), (4, 5), (2, 9) }, expected);
        Assert.Equal(expected, actual);
        Assert.Equal(7u, csharp.ReadGlobal<uint>("redirect_key"));
        // line_info of the compiler's object names the C# source.
        var files = csharp.Linked["redirect"].LineInfos.Select(l => l.Record.FileName).Distinct().ToList();
        _out.WriteLine("line_info files: " + string.Join(", ", files));
        Assert.Contains(files, f => f.EndsWith("XdpTwin.cs", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Cgroup_skb_twins_attached_side_by_side_count_the_same_packets()
    {
        KernelSkip.UnlessBpfAllowed();
        using var clang = BpfObject.Load(Fixtures.Linux("skb_storage.bpf.o"));
        using var csharp = BpfObject.Load(Fixtures.Linux("compiled/SkbTwin.bpf.o"));
        using var cg = new TemporaryCgroup();
        using var a = Attach.Cgroup(clang.Program("count_egress"), cg.Path, BpfAttachType.CgroupInetEgress);
        using var b = Attach.Cgroup(clang.Program("count_ingress"), cg.Path, BpfAttachType.CgroupInetIngress);
        using var c = Attach.Cgroup(csharp.Program("count_egress"), cg.Path, BpfAttachType.CgroupInetEgress);
        using var d = Attach.Cgroup(csharp.Program("count_ingress"), cg.Path, BpfAttachType.CgroupInetIngress);
        Socket client;
        using (cg.Enter()) client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using (var conn = Loopback.Connect(createClient: () => client))
        {
            conn.Client.NoDelay = true;
            var buf = new byte[1000];
            for (int i = 0; i < 20; i++)
            {
                conn.Client.Send(buf, 0, 10, SocketFlags.None);
                conn.Server.Receive(buf);
            }
        }
        System.Threading.Thread.Sleep(200); // let the FIN exchange finish before reading
        foreach (uint dir in new[] { 0u, 1u })
        {
            Assert.True(clang.Map("totals").TryLookup(dir, out ulong expected));
            Assert.True(csharp.Map("totals").TryLookup(dir, out ulong actual));
            _out.WriteLine($"direction {dir}: clang {expected}, C# {actual}");
            Assert.True(expected >= 20);
            Assert.Equal(expected, actual);
        }
    }
}
