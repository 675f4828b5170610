using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Differential;

/// <summary>
/// Where C# throws, compiled programs follow eBPF (decided with the backend, INTERFACES.md): x / 0 == 0,
/// x % 0 == x, and int/long MinValue / -1 == MinValue with remainder 0 (C# throws OverflowException).
/// Checked on every engine, with the divisor unknown at compile time.
/// </summary>
public class DivisionSemanticsTests
{
    private const string Source = @"using CSharpBpf;
using CSharpBpf.Kernel;
public static unsafe partial class Div
{
    static long Op(long op, long a, long b) => op switch
    {
        0 => (int)a / (int)b,
        1 => (int)a % (int)b,
        2 => (uint)a / (uint)b,
        3 => (uint)a % (uint)b,
        4 => a / b,
        5 => a % b,
        6 => (long)((ulong)a / (ulong)b),
        _ => (long)((ulong)a % (ulong)b),
    };

    [Xdp]
    static int Entry(xdp_md* ctx)
    {
        byte* d = (byte*)ctx->data;
        if (d + 32 > (byte*)ctx->data_end) return 0;
        *(long*)(d + 24) = Op(*(long*)d, *(long*)(d + 8), *(long*)(d + 16));
        return 2;
    }
}";

    public static IEnumerable<object[]> Cases()
    {
        foreach (long a in new long[] { 0, 7, -7, int.MaxValue, int.MinValue, long.MinValue, long.MaxValue, uint.MaxValue })
        {
            yield return new object[] { 0L, a, 0L, 0L };
            yield return new object[] { 1L, a, 0L, (long)(int)a };
            yield return new object[] { 2L, a, 0L, 0L };
            yield return new object[] { 3L, a, 0L, (long)(uint)a };
            yield return new object[] { 4L, a, 0L, 0L };
            yield return new object[] { 5L, a, 0L, a };
            yield return new object[] { 6L, a, 0L, 0L };
            yield return new object[] { 7L, a, 0L, a };
        }
        yield return new object[] { 0L, (long)int.MinValue, -1L, (long)int.MinValue };
        yield return new object[] { 1L, (long)int.MinValue, -1L, 0L };
        yield return new object[] { 4L, long.MinValue, -1L, long.MinValue };
        yield return new object[] { 5L, long.MinValue, -1L, 0L };
    }

    private static Instruction[] Compile() =>
        DifferentialHarness.CompileClass("Div", ("Div.cs", Source));

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Kernel(long op, long a, long b, long expected)
    {
        KernelSkip.UnlessBpfAllowed();
        using var r = new KernelRunner(Compile());
        Assert.Equal(expected, r.Run(new[] { op, a, b }));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Vm(long op, long a, long b, long expected)
    {
        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var r = new VmRunner(Compile(), engine);
            Assert.Equal(expected, r.Run(new[] { op, a, b }));
        }
    }
}
