using System;
using System.IO;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>fentry/fexit/freplace: built fully; this kernel refuses them with EPERM (lockdown), and the tests say so when they skip.</summary>
[Collection("kernel")]
public sealed class TracingTests
{
    private static BpfObject LoadOrSkip(Func<BpfObject> load, string what)
    {
        try
        {
            return load();
        }
        catch (BpfSyscallException e) when (e.Errno == Native.Errno.EPERM)
        {
            Skip.If(true, $"the kernel refused {what} with EPERM ({e.Command}; kernel lockdown forbids it here)");
            throw;
        }
    }

    [SkippableFact]
    public void Fentry_and_fexit_attach_and_count_unlinks()
    {
        KernelSkip.UnlessBpfAllowed();
        using var obj = LoadOrSkip(() => BpfObject.Load(Fixtures.Linux("tracing.bpf.o")), "fentry/fexit programs");
        using (Attach.Tracing(obj.Program("on_entry")))
        using (Attach.Tracing(obj.Program("on_exit")))
        {
            string path = Path.GetTempFileName();
            File.Delete(path);
        }
        Assert.True(obj.ReadGlobal<ulong>("entries") >= 1);
        Assert.True(obj.ReadGlobal<ulong>("exits") >= 1);
    }

    [SkippableFact]
    public void Freplace_replaces_a_global_function_of_a_loaded_program()
    {
        KernelSkip.UnlessBpfAllowed();
        using var target = BpfObject.Load(Fixtures.Linux("freplace_target.bpf.o"));
        var xdp = target.Program("target_xdp");
        uint func = target.Spec.Btf!.FindId("pick_action", BtfKind.Func);
        Assert.NotEqual(0u, func);
        var frame = new byte[64];
        Assert.Equal(2u, xdp.TestRun(frame).ReturnValue);
        var options = new LoadOptions { ExtensionTargets = new System.Collections.Generic.Dictionary<string, ExtensionTarget> { ["replacement"] = new(xdp, func) } };
        using var ext = LoadOrSkip(() => BpfObject.Load(Fixtures.Linux("freplace_ext.bpf.o"), options), "a freplace program");
        using (Attach.Freplace(ext.Program("replacement"), xdp, func))
            Assert.Equal(1u, xdp.TestRun(frame).ReturnValue);
        Assert.Equal(2u, xdp.TestRun(frame).ReturnValue);
    }

    [SkippableFact]
    public void Freplace_target_resolves_through_the_program_btf_read_back_from_the_kernel()
    {
        KernelSkip.UnlessBpfAllowed();
        using var target = BpfObject.Load(Fixtures.Linux("freplace_target.bpf.o"));
        var xdp = target.Program("target_xdp");
        var resolved = KernelTypes.ProgramBtf.ExtensionTarget(xdp, "pick_action");
        Assert.Equal(target.Spec.Btf!.FindId("pick_action", BtfKind.Func), resolved.FunctionBtfId);
        Assert.Same(xdp, resolved.Program);
        var ex = Assert.Throws<BpfException>(() => KernelTypes.ProgramBtf.ExtensionTarget(xdp, "no_such_function"));
        Assert.Contains("no function 'no_such_function'", ex.Message);
    }
}
