using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Compiler.Tests.Differential;

/// <summary>
/// For each construct of the subset: the C# method run natively and its compiled program agree on
/// thousands of inputs from a fixed seed, edge values first. One concrete class per engine that can
/// run the program: the kernel (BPF_PROG_TEST_RUN), the VM's interpreter and its JIT.
/// </summary>
public abstract class DifferentialTests
{
    private const int CasesPerConstruct = 3000;
    private readonly ITestOutputHelper _out;

    protected DifferentialTests(ITestOutputHelper output) => _out = output;

    /// <summary>Skips when the engine cannot run here (the kernel without root).</summary>
    protected virtual void SkipUnlessAvailable() { }

    internal abstract IProgramRunner CreateRunner(Instruction[] code);

    public static IEnumerable<object[]> ConstructNames() =>
        typeof(Constructs).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(m => m.DeclaringType == typeof(Constructs))
            .Select(m => new object[] { m.Name });

    private static readonly long[] Edges =
    {
        0, 1, -1, 2, -2, 3, 7, 8, 31, 32, 33, 63, 64, 65, 127, 128, 255, 256, 0x7fff, 0x8000, 0xffff, 0x10000,
        int.MaxValue, int.MinValue, uint.MaxValue, (long)uint.MaxValue + 1, long.MaxValue, long.MinValue, 1000, -1000, 1001, -1001,
    };

    /// <summary>Edge values (all pairs for the first arguments), then random values of mixed magnitudes.</summary>
    public static IEnumerable<long[]> Inputs(int arity, int seed, int count)
    {
        var rng = new Random(seed);
        int produced = 0;
        if (arity >= 1)
        {
            foreach (var a in Edges)
                foreach (var b in arity >= 2 ? Edges : new long[] { 0 })
                {
                    var v = new long[arity];
                    v[0] = a;
                    if (arity >= 2) v[1] = b;
                    for (int i = 2; i < arity; i++) v[i] = rng.NextInt64();
                    yield return v;
                    if (++produced >= count / 2) goto random;
                }
        }
        random:
        while (produced++ < count)
        {
            var v = new long[arity];
            for (int i = 0; i < arity; i++)
            {
                v[i] = rng.Next(4) switch
                {
                    0 => rng.Next(-40, 40),
                    1 => rng.Next(),
                    2 => rng.NextInt64() >> rng.Next(64),
                    _ => rng.NextInt64(),
                };
            }
            yield return v;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(ConstructNames))]
    public void Native_and_compiled_agree(string construct)
    {
        SkipUnlessAvailable();
        var h = new DifferentialHarness(construct);
        using var runner = CreateRunner(h.Instructions);
        int n = 0;
        foreach (var input in Inputs(h.ParameterCount, seed: 20261122, CasesPerConstruct))
        {
            long expected = h.RunNative(input);
            long actual = runner.Run(input);
            if (expected != actual)
                Assert.Fail($"{construct}({string.Join(", ", input)}): native {expected} (0x{expected:x}), compiled {actual} (0x{actual:x}) after {n} agreeing cases");
            n++;
        }
        _out.WriteLine($"{construct}: {n} cases agree; {h.Instructions.Length} instructions");
        Assert.Equal(CasesPerConstruct, n);
    }
}

public class KernelDifferentialTests : DifferentialTests
{
    public KernelDifferentialTests(ITestOutputHelper output) : base(output) { }
    protected override void SkipUnlessAvailable() => KernelSkip.UnlessBpfAllowed();
    internal override IProgramRunner CreateRunner(Instruction[] code) => new KernelRunner(code);
}

public class VmInterpreterDifferentialTests : DifferentialTests
{
    public VmInterpreterDifferentialTests(ITestOutputHelper output) : base(output) { }
    internal override IProgramRunner CreateRunner(Instruction[] code) => new VmRunner(code, ExecutionEngine.Interpreter);
}

public class VmJitDifferentialTests : DifferentialTests
{
    public VmJitDifferentialTests(ITestOutputHelper output) : base(output) { }
    internal override IProgramRunner CreateRunner(Instruction[] code) => new VmRunner(code, ExecutionEngine.Jit);
}
