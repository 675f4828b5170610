using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using Xunit;
using static CSharpBpf.Compiler.Tests.Passes.PassTestKit;

namespace CSharpBpf.Compiler.Tests.Passes;

public class DeadCodeAndCfgTests
{
    [Fact]
    public void UnusedChains_AreRemoved_SideEffectsStay()
    {
        var (m, f, b, a, _) = Function();
        var helper = m.Helper("bpf_ktime_get_ns", 5, IntType.ULong);
        var t1 = b.Binary(BinOp.Mul, a, 3);
        b.Binary(BinOp.Add, t1, 1);           // dead, and t1 with it
        b.Call(helper);                        // result unused: call stays, result dropped
        b.Return(a);
        var text = After(new DeadCodeElimination(), f);
        Assert.DoesNotContain("mul", text);
        Assert.DoesNotContain("add", text);
        Assert.Contains("  call helper bpf_ktime_get_ns()", text);
    }

    [Fact]
    public void FetchAtomicWithUnusedResult_BecomesPlainAtomic()
    {
        var (_, f, b, _, _) = Function();
        var p = f.AddParam("p", new PointerType(IntType.Long)).Reg;
        var one = b.Const(Width.W64, 1);
        b.Atomic(AtomicRmwOp.FetchAdd, 8, p, 0, one, b.Reg(Width.W64));
        b.Return(0L);
        Assert.Contains("atomic64 add [%2], %3", After(new DeadCodeElimination(), f));
    }

    [Fact]
    public void JumpChainsAndSinglePredecessorBlocks_Merge()
    {
        var (_, f, b, a, _) = Function();
        var b1 = b.NewBlock();
        var b2 = b.NewBlock();
        var unreachable = b.NewBlock();
        b.Jump(b1);
        b.SetBlock(b1);
        b.Jump(b2);
        b.SetBlock(b2);
        b.Return(a);
        b.SetBlock(unreachable);
        b.Return(0L);
        var text = After(new CfgSimplification(), f);
        Assert.Equal(Lines("bb0: ; entry", "  ret %0"), text);
    }

    [Fact]
    public void ThenBlock_IsPlacedRightAfterItsBranch()
    {
        var (_, f, b, a, c) = Function();
        var join = b.NewBlock("join");
        var then = b.NewBlock("then");
        var x = b.Reg(Width.W64);
        b.Move(x, a);
        b.Branch(CmpOp.Ne, a, 0, then, join);
        b.SetBlock(join);
        b.Return(x);
        b.SetBlock(then);
        b.Move(x, c);
        b.Jump(join);
        new CfgSimplification().Run(f);
        Assert.Equal(new[] { "entry", "then", "join" }, f.Blocks.ConvertAll(bb => bb.Name));
    }
}
