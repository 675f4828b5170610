using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Tests.Support;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

[Collection("kernel")]
public sealed class TracepointTests
{
    [SkippableFact]
    public void Raw_tp_and_tp_btf_count_a_known_number_of_syscalls()
    {
        KernelSkip.UnlessBpfAllowed();
        var spec = ObjectSpec.Read(Fixtures.Linux("syscall_count.bpf.o"));
        spec.SetGlobal("target_tid", (uint)TestNative.GetTid());
        spec.SetGlobal("target_nr", TestNative.SYS_getppid);
        using var obj = BpfObject.Load(spec);
        const int calls = 25;
        using (var raw = Attach.RawTracepoint(obj.Program("count_raw"), "sys_enter"))
        using (var btf = Attach.Tracing(obj.Program("count_btf")))
        {
            for (int i = 0; i < calls; i++) TestNative.getppid();
        }
        // Detached: these do not count.
        for (int i = 0; i < 5; i++) TestNative.getppid();
        Assert.Equal((ulong)calls, obj.ReadGlobal<ulong>("raw_hits"));
        Assert.Equal(1000UL + calls, obj.ReadGlobal<ulong>("btf_hits"));
    }

    [SkippableFact]
    public void Co_re_relocations_resolve_against_the_running_kernel()
    {
        KernelSkip.UnlessBpfAllowed();
        var spec = ObjectSpec.Read(Fixtures.Linux("core_task.bpf.o"));
        int tid = TestNative.GetTid();
        spec.SetGlobal("target_tid", (uint)tid);
        spec.SetGlobal("target_nr", TestNative.SYS_getppid);
        using var obj = BpfObject.Load(spec);
        using (Attach.RawTracepoint(obj.Program("probe"), "sys_enter"))
            TestNative.getppid();
        var vmlinux = KernelBtf.Running.Vmlinux;
        var task = vmlinux.Find("task_struct", BtfKind.Struct)!;
        Assert.Equal(1u, obj.ReadGlobal<uint>("runs"));
        Assert.Equal(tid, obj.ReadGlobal<int>("seen_pid"));
        Assert.Equal(System.Environment.ProcessId, obj.ReadGlobal<int>("seen_tgid"));
        Assert.Equal(TestNative.getppid(), obj.ReadGlobal<int>("seen_parent_tgid"));
        Assert.Equal(1u, obj.ReadGlobal<uint>("pid_exists"));
        Assert.Equal(0u, obj.ReadGlobal<uint>("missing_exists"));
        Assert.Equal((uint)vmlinux.SizeOf(task.Id), obj.ReadGlobal<uint>("task_size"));
        Assert.Equal(4u, obj.ReadGlobal<uint>("pid_size"));
        Assert.Equal(27UL, obj.ReadGlobal<ulong>("ringbuf_value"));
        Assert.Equal(1u, obj.ReadGlobal<uint>("ringbuf_exists"));
        Assert.Equal(1u, obj.ReadGlobal<uint>("flavor_exists"));
        Assert.True(obj.ReadGlobal<ulong>("in_iowait") <= 1, "a 1-bit field read through CO-RE bitfield shifts is 0 or 1");
    }

    [SkippableFact]
    public void A_reachable_co_re_access_to_a_field_the_kernel_lacks_names_type_and_field()
    {
        KernelSkip.UnlessBpfAllowed();
        var ex = Assert.Throws<Core.CoreRelocationException>(() => BpfObject.Load(Fixtures.Linux("core_missing.bpf.o")));
        Assert.Contains("program 'read_future'", ex.Message);
        Assert.Contains("struct task_struct___future.frobnication_level", ex.Message);
        Assert.Contains("has no member 'frobnication_level'", ex.Message);
    }
}
