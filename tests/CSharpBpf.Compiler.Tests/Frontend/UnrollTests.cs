using System.Linq;
using CSharpBpf.Compiler.Ir;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Frontend;

public class UnrollTests
{
    [Fact]
    public void Unrolled_loop_has_no_back_edge()
    {
        var m = TestCompilation.Lower(@"
public static unsafe partial class P
{
    [Xdp] static int Run(xdp_md* ctx) => (int)Sum(ctx->data);
    [Unroll] static uint Sum(uint x)
    {
        uint s = 0;
        for (int i = 0; i < 8; i++) s += x >> i;
        return s;
    }
}");
        var sum = m.Functions.Single(f => f.Name == "Sum");
        Assert.False(HasCycle(sum), "the unrolled function still has a loop");
        Assert.Equal(8, sum.AllInstructions.OfType<BinaryInst>().Count(i => i.Op == BinOp.LShr));
    }

    private static bool HasCycle(IrFunction f)
    {
        var state = new System.Collections.Generic.Dictionary<BasicBlock, int>();
        bool Visit(BasicBlock b)
        {
            state[b] = 1;
            foreach (var s in b.Successors)
            {
                if (state.TryGetValue(s, out var st) ? st == 1 : Visit(s)) return true;
            }
            state[b] = 2;
            return false;
        }
        return Visit(f.Entry);
    }

    [Fact]
    public void Unroll_without_constant_bounds_is_refused_at_the_loop()
    {
        string src = @"
public static unsafe partial class P
{
    [Xdp] static int Run(xdp_md* ctx) => (int)Sum(ctx->data);
    [Unroll] static uint Sum(uint x)
    {
        uint s = 0;
        for (uint i = 0; i < x; i++) s += i;
        return s;
    }
}";
        var d = Assert.Single(TestCompilation.Diagnose(src));
        Assert.Equal("BPF1001", d.Id);
        Assert.StartsWith("for (uint i = 0; i < x; i++)", TestCompilation.SpanText(src, d));
    }

    [Fact]
    public void Global_functions_are_emitted_as_global_and_never_inlined()
    {
        var m = TestCompilation.Lower(@"
public static unsafe partial class P
{
    [Xdp] static int Run(xdp_md* ctx) => Clamp((int)ctx->rx_queue_index);
    [Global] public static int Clamp(int v) => v > 4 ? 4 : v;
}");
        var g = m.Functions.Single(f => f.Name == "Clamp");
        Assert.Equal(FunctionKind.Global, g.Kind);
        Assert.Equal(InlineHint.Never, g.Inline);
    }
}
