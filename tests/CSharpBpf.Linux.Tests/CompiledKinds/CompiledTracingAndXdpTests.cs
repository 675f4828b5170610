using System.IO;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Tests.Support;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests.CompiledKinds;

/// <summary>raw_tp, tp_btf, XDP devmap_hash redirect, fentry/fexit and freplace twins compiled by CSharpBpf (the last two
/// through <see cref="TracingScenarioTests"/>); every object through bpftool too.</summary>
[Collection("kernel")]
public sealed class CompiledTracingAndXdpTests : TracingScenarioTests
{
    private readonly ITestOutputHelper _out;

    public CompiledTracingAndXdpTests(ITestOutputHelper output) => _out = output;

    protected override BpfObject LoadTracing() => BpfObject.Load(KernelKindFixtures.Object("Tracing.bpf.o"));
    protected override BpfObject LoadFreplaceTarget() => BpfObject.Load(KernelKindFixtures.Object("FreplaceTarget.bpf.o"));
    protected override BpfObject LoadFreplaceExtension(LoadOptions options) => BpfObject.Load(KernelKindFixtures.Object("FreplaceExt.bpf.o"), options);

    [SkippableFact]
    public void CSharp_raw_tp_and_tp_btf_count_one_threads_syscall()
    {
        KernelSkip.UnlessBpfAllowed();
        var spec = ObjectSpec.Read(KernelKindFixtures.Object("SyscallCount.bpf.o"));
        spec.SetGlobal("target_tid", (uint)TestNative.GetTid());
        spec.SetGlobal("target_nr", TestNative.SYS_getppid);
        using var obj = BpfObject.Load(spec);
        using (Attach.RawTracepoint(obj.Program("count_raw"), "sys_enter"))
        using (Attach.Tracing(obj.Program("count_btf")))
        {
            for (int i = 0; i < 5; i++) TestNative.getppid();
        }
        var hits = obj.Map("hits");
        Assert.True(hits.TryLookup(0u, out ulong raw));
        Assert.True(hits.TryLookup(1u, out ulong btf));
        _out.WriteLine($"raw_tp hits {raw}, tp_btf hits {btf}");
        Assert.Equal(5UL, raw);
        Assert.Equal(5UL, btf);
    }

    [SkippableFact]
    public void CSharp_xdp_devmap_hash_redirect_passes_when_the_key_is_absent_and_redirects_when_present()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = BpfObject.Load(KernelKindFixtures.Object("XdpRedirect.bpf.o"));
        var frame = new byte[64];
        Assert.Equal(2u, obj.Program("redirect").TestRun(frame).ReturnValue); // XDP_PASS from the flags
        obj.Map("ports").Update(7u, 1u); // key 7 → ifindex 1 (lo)
        Assert.Equal(4u, obj.Program("redirect").TestRun(frame).ReturnValue); // XDP_REDIRECT
        Assert.Equal(2u, obj.Program("count_packets").TestRun(frame).ReturnValue);
        Assert.True(obj.Map("frames").TryLookup(0u, out ulong n) && n == 1);
    }

    [SkippableTheory]
    [InlineData("SockOpsMark.bpf.o")]
    [InlineData("SysctlSockopt.bpf.o")]
    [InlineData("SkbStorage.bpf.o")]
    [InlineData("CookieCount.bpf.o")]
    [InlineData("SyscallCount.bpf.o")]
    [InlineData("XdpRedirect.bpf.o")]
    [InlineData("FreplaceTarget.bpf.o")]
    public void Bpftool_prog_loadall_accepts_the_compiled_object(string name)
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.If(KernelKindFixtures.Bpftool("version") is null, "bpftool is not installed");
        using var fs = new TemporaryBpffs();
        string pins = Path.Combine(fs.Path, "progs");
        var (exit, output) = KernelKindFixtures.Bpftool("prog", "loadall", KernelKindFixtures.Object(name), pins)!.Value;
        _out.WriteLine(output);
        Assert.True(exit == 0, output);
        Assert.NotEmpty(Directory.GetFileSystemEntries(pins));
    }
}
