using System;
using System.Collections.Generic;
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
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        string[] files = { "xdp_redirect.bpf.o", "skb_storage.bpf.o", "syscall_count.bpf.o", "sockops_mark.bpf.o", "cc_counting.bpf.o" };
        var specs = files.Select(f => ObjectSpec.Read(Fixtures.Linux(f))).ToArray();
        // Warm the process-wide caches (kernel BTF, feature probes) before taking the baseline.
        using (BpfObject.Load(specs[4])) { }
        // Handles other tests dropped without Dispose close when the finalizer runs; let that happen
        // now, not in the middle of the count.
        SettleFinalizers();

        int fds = Libc.OpenFdCount();
        // The ids this test itself creates: other processes (test projects run in parallel) load and
        // unload BPF objects too, so the kernel-wide id lists are not ours to compare.
        var createdProgs = new HashSet<uint>();
        var createdMaps = new HashSet<uint>();
        var links = ObjectInfo.LinkIds().ToHashSet();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++)
        {
            using var obj = BpfObject.Load(specs[i % specs.Length]);
            foreach (var p in obj.Programs.Values) createdProgs.Add(p.Id);
            foreach (var m in obj.Maps.Values) createdMaps.Add(m.Id);
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
        SettleFinalizers();
        // A leak raises the count; it can only fall through handles of earlier tests being finalized.
        int fdsAfter = Libc.OpenFdCount();
        Assert.True(fdsAfter <= fds, $"open fds went from {fds} to {fdsAfter}: something was not disposed");
        Assert.True(createdProgs.Count >= 1000 && createdMaps.Count >= 1000, "the loop should have created fresh ids");

        // The kernel frees programs and maps after an RCU grace period: give it a moment.
        for (int i = 0; i < 100; i++)
        {
            var nowProgs = ObjectInfo.ProgramIds().Where(createdProgs.Contains).ToList();
            var nowMaps = ObjectInfo.MapIds().Where(createdMaps.Contains).ToList();
            var nowLinks = ObjectInfo.LinkIds().Where(id => !links.Contains(id)).ToList();
            if (nowProgs.Count == 0 && nowMaps.Count == 0 && nowLinks.Count == 0) return;
            Thread.Sleep(100);
        }
        Assert.Empty(ObjectInfo.ProgramIds().Where(createdProgs.Contains));
        Assert.Empty(ObjectInfo.MapIds().Where(createdMaps.Contains));
        Assert.Empty(ObjectInfo.LinkIds().Where(id => !links.Contains(id)));
    }

    private static void SettleFinalizers()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
