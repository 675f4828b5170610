using CSharpBpf.Compiler.Ir;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Backend.Kernel;

public class KernelSmokeTests
{
    [SkippableFact]
    public void AddOfTwoInputs_RunsInKernel()
    {
        KernelSkip.UnlessBpfAllowed();
        var m = XdpHarness.Build((b, v) => b.Binary(BinOp.Add, v[0], v[1]));
        var cf = XdpHarness.CompileSingle(m);
        using var p = new KernelProgram(cf.Code);
        Assert.Equal(7L, p.RunForResult(3, 4, 0));
        Assert.Equal(-1L, p.RunForResult(long.MaxValue, long.MinValue, 0));
    }

    [SkippableFact]
    public void SignedDivision_LoweredForV3_MatchesBpfSemantics()
    {
        KernelSkip.UnlessBpfAllowed();
        var m = XdpHarness.Build((b, v) => b.Binary(BinOp.SDiv, v[0], v[1]));
        var cf = XdpHarness.CompileSingle(m);
        using var p = new KernelProgram(cf.Code);
        Assert.Equal(-3L, p.RunForResult(-7, 2, 0));
        Assert.Equal(3L, p.RunForResult(-7, -2, 0));
        Assert.Equal(0L, p.RunForResult(-7, 0, 0));
        Assert.Equal(long.MinValue, p.RunForResult(long.MinValue, -1, 0));
    }
}
