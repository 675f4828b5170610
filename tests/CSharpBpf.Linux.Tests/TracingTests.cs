using CSharpBpf.Linux.Loader;
using CSharpBpf.Object.Btf;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>fentry/fexit/freplace with the clang seeds (scenarios in <see cref="TracingScenarioTests"/>).</summary>
[Collection("kernel")]
public sealed class TracingTests : TracingScenarioTests
{
    protected override BpfObject LoadTracing() => BpfObject.Load(Fixtures.Linux("tracing.bpf.o"));
    protected override BpfObject LoadFreplaceTarget() => BpfObject.Load(Fixtures.Linux("freplace_target.bpf.o"));
    protected override BpfObject LoadFreplaceExtension(LoadOptions options) => BpfObject.Load(Fixtures.Linux("freplace_ext.bpf.o"), options);

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
