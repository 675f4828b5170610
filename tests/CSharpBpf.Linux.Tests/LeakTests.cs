using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Native;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests;

[Collection("kernel")]
public sealed class LeakTests
{
    private readonly ITestOutputHelper _out;

    public LeakTests(ITestOutputHelper output) => _out = output;

    [SkippableFact]
    public void Loading_and_disposing_1000_objects_leaves_fds_and_kernel_ids_where_they_were()
    {
        KernelSkip.UnlessBpfAllowed();
        string[] files = { "xdp_redirect.bpf.o", "skb_storage.bpf.o", "syscall_count.bpf.o", "sockops_mark.bpf.o", "cc_counting.bpf.o" };
        var specs = files.Select(f => ObjectSpec.Read(Fixtures.Linux(f))).ToArray();
        // Warm the process-wide caches (kernel BTF, feature probes) before taking the baseline.
        using (BpfObject.Load(specs[4])) { }

        int fds = Libc.OpenFdCount();
        var progs = ObjectInfo.ProgramIds().ToHashSet();
        var maps = ObjectInfo.MapIds().ToHashSet();
        var links = ObjectInfo.LinkIds().ToHashSet();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++)
        {
            using var obj = BpfObject.Load(specs[i % specs.Length]);
            if (i % specs.Length == 2 && i % 20 == 2)
            {
                // Links too: raw_tp and tp_btf attached and detached.
                using var raw = Links.Attach.RawTracepoint(obj.Program("count_raw"), "sys_enter");
                using var btf = Links.Attach.Tracing(obj.Program("count_btf"));
            }
            if (i % specs.Length == 4 && i % 50 == 4)
            {
                // Now and then also register and unregister the congestion control.
                using var r = obj.StructOps["csbpf_cc"].Register();
            }
        }
        _out.WriteLine($"1000 load+dispose in {sw.ElapsedMilliseconds} ms");
        Assert.Equal(fds, Libc.OpenFdCount());

        // The kernel frees programs and maps after an RCU grace period: give it a moment.
        for (int i = 0; i < 100; i++)
        {
            var nowProgs = ObjectInfo.ProgramIds().Where(id => !progs.Contains(id)).ToList();
            var nowMaps = ObjectInfo.MapIds().Where(id => !maps.Contains(id)).ToList();
            var nowLinks = ObjectInfo.LinkIds().Where(id => !links.Contains(id)).ToList();
            if (nowProgs.Count == 0 && nowMaps.Count == 0 && nowLinks.Count == 0) return;
            Thread.Sleep(100);
        }
        Assert.Empty(ObjectInfo.ProgramIds().Where(id => !progs.Contains(id)));
        Assert.Empty(ObjectInfo.MapIds().Where(id => !maps.Contains(id)));
        Assert.Empty(ObjectInfo.LinkIds().Where(id => !links.Contains(id)));
    }
}
