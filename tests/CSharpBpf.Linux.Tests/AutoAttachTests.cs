using System;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Tests.Support;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

[Collection("kernel")]
public sealed class AutoAttachTests
{
    [SkippableFact]
    public void Attaches_by_section_kind_and_refuses_what_it_cannot_guess()
    {
        KernelSkip.UnlessBpfAllowed();
        var spec = ObjectSpec.Read(Fixtures.Linux("syscall_count.bpf.o"));
        spec.SetGlobal("target_tid", (uint)TestNative.GetTid());
        spec.SetGlobal("target_nr", TestNative.SYS_getppid);
        using var obj = BpfObject.Load(spec);
        using (AutoAttach.Attach(obj.Program("count_raw")))   // raw_tp/sys_enter: the name comes from the section
        using (AutoAttach.Attach(obj.Program("count_btf")))   // tp_btf/sys_enter: attach_btf_id from load
        {
            for (int i = 0; i < 3; i++) TestNative.getppid();
        }
        Assert.Equal(3UL, obj.ReadGlobal<ulong>("raw_hits"));
        Assert.Equal(1003UL, obj.ReadGlobal<ulong>("btf_hits"));

        using var cc = BpfObject.Load(Fixtures.Linux("cc_counting.bpf.o"));
        Assert.Throws<InvalidOperationException>(() => AutoAttach.Attach(cc.Program("cc_init")));
        using var skb = BpfObject.Load(Fixtures.Linux("skb_storage.bpf.o"));
        var ex = Assert.Throws<ArgumentException>(() => AutoAttach.Attach(skb.Program("count_egress")));
        Assert.Contains("cgroup v2 directory", ex.Message);
    }
}
