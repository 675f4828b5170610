using System;
using System.Text;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Tests.Backend.Kernel;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Compiler.Tests.Backend.Property;

/// <summary>
/// Random arithmetic expression trees (fixed seeds) → IR → passes → eBPF → run in the kernel
/// via BPF_PROG_TEST_RUN on random inputs, compared with the C#-evaluated reference.
/// </summary>
public class ArithmeticPropertyTests
{
    private readonly ITestOutputHelper _out;

    public ArithmeticPropertyTests(ITestOutputHelper output) => _out = output;

    [SkippableTheory]
    [InlineData(20251122, 600, 8, true, false)]
    [InlineData(777, 200, 8, false, false)]
    [InlineData(4242, 200, 8, true, true)]
    public void RandomExpressions_MatchReference_InKernel(int seed, int trees, int inputsPerTree, bool optimize, bool v4)
    {
        KernelSkip.UnlessBpfAllowed();
        Check(RunTarget.Kernel, seed, trees, inputsPerTree, optimize, v4);
    }

    [Theory]
    [InlineData(RunTarget.VmInterpreter, 1001, 600, 8, true, false)]
    [InlineData(RunTarget.VmJit, 1002, 300, 8, true, false)]
    [InlineData(RunTarget.VmInterpreter, 1003, 200, 8, false, true)]
    public void RandomExpressions_MatchReference_InVm(RunTarget backend, int seed, int trees, int inputsPerTree, bool optimize, bool v4) =>
        Check(backend, seed, trees, inputsPerTree, optimize, v4);

    private void Check(RunTarget backend, int seed, int trees, int inputsPerTree, bool optimize, bool v4)
    {
        var rng = new Random(seed);
        var options = new TargetOptions { Optimize = optimize, UseV4 = v4 };
        int cases = 0;
        for (int t = 0; t < trees; t++)
        {
            var w = rng.Next(2) == 0 ? Width.W32 : Width.W64;
            var expr = ExprGenerator.Generate(rng, w, rng.Next(1, 6));
            var module = XdpHarness.Build((b, vars) => ExprLowering.Widen(b, ExprLowering.Lower(b, expr, vars), w));
            var printed = IrPrinter.Print(module);
            CompiledFunction cf;
            try
            {
                cf = XdpHarness.CompileSingle(module, options);
            }
            catch (Exception e)
            {
                throw new Exception($"tree {t} failed to compile: {expr}\n{printed}", e);
            }
            using var prog = LoadOrExplain(backend, cf, expr, printed);
            for (int k = 0; k < inputsPerTree; k++)
            {
                var inputs = new[] { ExprGenerator.Input(rng), ExprGenerator.Input(rng), ExprGenerator.Input(rng) };
                long expected = ReferenceEvaluator.Eval(expr, inputs);
                long actual = prog.Run(inputs[0], inputs[1], inputs[2]);
                if (expected != actual)
                    Assert.Fail($"tree {t}, inputs {inputs[0]}, {inputs[1]}, {inputs[2]}: expected {expected}, {backend} ran {actual}\n{expr}\n{printed}\n{Dump(cf)}");
                cases++;
            }
        }
        _out.WriteLine($"{backend}: {cases} cases over {trees} trees agree");
    }

    private static IHarnessRunner LoadOrExplain(RunTarget backend, CompiledFunction cf, Expr expr, string printed)
    {
        try
        {
            return HarnessRunners.Load(backend, cf.Code);
        }
        catch (Exception e)
        {
            throw new Exception($"{backend} refused: {expr}\n{printed}\n{Dump(cf)}\n{e.Message}");
        }
    }

    internal static string Dump(CompiledFunction cf)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < cf.Code.Length; i++) sb.Append(i).Append(": ").Append(cf.Code[i]).Append('\n');
        return sb.ToString();
    }
}
