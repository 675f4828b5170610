using System;
using System.Collections.Generic;
using System.IO;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>
/// The fentry/fexit and freplace scenarios, one test each, for the clang seeds (<see cref="TracingTests"/>)
/// and their C# twins (<see cref="CompiledKinds.CompiledTracingAndXdpTests"/>). Built fully; this kernel
/// refuses these program types with EPERM (lockdown), and the tests say so when they skip.
/// </summary>
[Collection("kernel")]
public abstract class TracingScenarioTests
{
    /// <summary>The object with fentry <c>on_entry</c> and fexit <c>on_exit</c> counting into globals <c>entries</c>/<c>exits</c>.</summary>
    protected abstract BpfObject LoadTracing();
    /// <summary>The object with XDP <c>target_xdp</c> whose global function <c>pick_action</c> returns XDP_PASS.</summary>
    protected abstract BpfObject LoadFreplaceTarget();
    /// <summary>The object with freplace <c>replacement</c> returning XDP_DROP.</summary>
    protected abstract BpfObject LoadFreplaceExtension(LoadOptions options);

    /// <summary>Loads, or skips the test with the reason when the kernel refuses the program type (EPERM).</summary>
    protected static BpfObject LoadOrSkip(Func<BpfObject> load, string what)
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
        using var obj = LoadOrSkip(LoadTracing, "fentry/fexit programs");
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
        using var target = LoadFreplaceTarget();
        var xdp = target.Program("target_xdp");
        uint func = target.Spec.Btf!.FindId("pick_action", BtfKind.Func);
        Assert.NotEqual(0u, func);
        var frame = new byte[64];
        Assert.Equal(2u, xdp.TestRun(frame).ReturnValue);
        var options = new LoadOptions { ExtensionTargets = new Dictionary<string, ExtensionTarget> { ["replacement"] = new(xdp, func) } };
        using var ext = LoadOrSkip(() => LoadFreplaceExtension(options), "a freplace program");
        using (Attach.Freplace(ext.Program("replacement"), xdp, func))
            Assert.Equal(1u, xdp.TestRun(frame).ReturnValue);
        Assert.Equal(2u, xdp.TestRun(frame).ReturnValue);
    }
}
