using System.Linq;
using CSharpBpf.TestSupport;
using CSharpBpf.TestSupport.RawBpf;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// Global functions: the managed verifier gives each case the verdict recorded for Linux 6.18, and (as root) the
/// kernel, loading the same instructions with the same BTF and func_info, gives it too.
/// </summary>
public class GlobalFunctionDifferentialTests
{
    private readonly ITestOutputHelper _output;

    public GlobalFunctionDifferentialTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [MemberData(nameof(GlobalFunctionCases.Cases), MemberType = typeof(GlobalFunctionCases))]
    public void Managed_verifier_gives_the_kernels_verdict(GlobalFunctionCase c)
    {
        var (btf, prog, gfn) = c.BuildBtf();
        var result = BpfVerifier.Verify(c.Program(), c.Spec(btf, prog, gfn));
        _output.WriteLine(string.Join("\n", result.Errors.Select(e => $"{e.InstructionIndex} {e.Code}: {e.Message}")));
        Assert.Equal(c.KernelAccepts, result.IsAccepted);
        if (c.Code != null) Assert.Equal(c.Code, result.Errors.Single().Code);
    }

    [SkippableTheory]
    [MemberData(nameof(GlobalFunctionCases.Cases), MemberType = typeof(GlobalFunctionCases))]
    public void Kernel_gives_the_recorded_verdict(GlobalFunctionCase c)
    {
        KernelSkip.UnlessBpfAllowed();
        var (btf, prog, gfn) = c.BuildBtf();
        var outcome = BtfKernelLoader.Load(c.Program(), ProgTypes.Xdp, btf, c.KernelFuncInfo(prog, gfn));
        _output.WriteLine(outcome.Log);
        Assert.True(c.KernelAccepts == outcome.Accepted,
            $"{c.Name}: kernel {(outcome.Accepted ? "accepted" : $"refused ({outcome.Errno})")}, recorded {(c.KernelAccepts ? "accept" : "reject")}\n{outcome.Log}");
    }
}
