using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Backend.Golden;

/// <summary>Golden disassembly of representative hand-built programs (tests/golden/compiler/backend).</summary>
public class DisassemblyGoldenTests
{
    private static void Check(string name, IrModule module, TargetOptions? options = null)
    {
        var functions = BpfBackend.Compile(module, options);
        GoldenFile.AssertMatches($"compiler/backend/{name}.txt", Listing.Of(functions));
    }

    [Fact]
    public void Counter() => Check("counter", SamplePrograms.Counter());

    [Fact]
    public void BoundedLoop() => Check("bounded-loop", SamplePrograms.SumLoop());

    [Fact]
    public void SignedDivisionV3() => Check("sdiv-v3", XdpHarness.Build((b, v) => b.Binary(BinOp.SDiv, v[0], v[1])));

    [Fact]
    public void SignedDivisionV4() => Check("sdiv-v4", XdpHarness.Build((b, v) => b.Binary(BinOp.SDiv, v[0], v[1])), new TargetOptions { UseV4 = true });

    [Fact]
    public void CompareToRegister32() =>
        Check("compare32", XdpHarness.Build((b, v) =>
        {
            var x = b.Truncate(v[0]);
            var c = b.Compare(CmpOp.Slt, x, 10);
            return b.ZeroExtend(c, 32, Width.W64);
        }));

    [Fact]
    public void InlinedSubprogram() => Check("inlined-subprogram", SamplePrograms.WithSmallHelper());

    [Fact]
    public void SpillsUnderPressure() => Check("spills", SamplePrograms.HighPressure());
}
