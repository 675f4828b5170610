using System.Linq;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using Xunit;
using static CSharpBpf.Compiler.Tests.Passes.PassTestKit;

namespace CSharpBpf.Compiler.Tests.Passes;

public class BranchFusionAndLoweringTests
{
    [Theory]
    [InlineData(CmpOp.Ne, 0L, "br64 slt %0, %1 ? bb1 : bb2")]
    [InlineData(CmpOp.Eq, 0L, "br64 slt %0, %1 ? bb2 : bb1")]
    [InlineData(CmpOp.Eq, 1L, "br64 slt %0, %1 ? bb1 : bb2")]
    public void CompareThenTest_FusesIntoOneBranch(CmpOp test, long k, string expected)
    {
        var (_, f, b, a, c) = Function();
        var t = b.NewBlock("t");
        var e = b.NewBlock("e");
        var cmp = b.Compare(CmpOp.Slt, a, c);
        b.Branch(test, cmp, k, t, e);
        b.SetBlock(t);
        b.Return(1L);
        b.SetBlock(e);
        b.Return(0L);
        var text = After(new BranchFusion(), f);
        Assert.Contains(expected, text);
        Assert.DoesNotContain("cmp", text);
    }

    [Fact]
    public void AndWithMaskThenTest_BecomesJset()
    {
        var (_, f, b, a, _) = Function();
        var t = b.NewBlock("t");
        var e = b.NewBlock("e");
        var m = b.Binary(BinOp.And, a, 4);
        b.Branch(CmpOp.Ne, m, 0, t, e);
        b.SetBlock(t);
        b.Return(1L);
        b.SetBlock(e);
        b.Return(0L);
        Assert.Contains("br64 set %0, 4 ? bb1 : bb2", After(new BranchFusion(), f));
    }

    [Fact]
    public void CompareToRegister_LowersToConstantsAndABranch()
    {
        var (_, f, b, a, c) = Function();
        var r = b.Compare(CmpOp.Ult, a, c);
        b.Return(b.ZeroExtend(r, 32, Width.W64));
        var text = After(new CompareLowering(), f);
        Assert.Equal(Lines(
            "bb0: ; entry",
            "  %2:32 = const 1",
            "  br64 ult %0, %1 ? bb2 : bb1",
            "bb1: ; cmp.false",
            "  %2:32 = const 0",
            "  jmp bb2",
            "bb2: ; entry.cont",
            "  %3:64 = zext32 %2",
            "  ret %3"), text);
    }

    [Fact]
    public void SignedDivision_LowersToUnsignedWithSignFixups()
    {
        var (_, f, b, a, c) = Function();
        b.Return(b.Binary(BinOp.SDiv, a, c));
        var text = After(new SignedDivisionLowering(), f);
        Assert.DoesNotContain("sdiv", text);
        Assert.Contains("udiv", text);
        Assert.Equal(2, text.Split('\n').Count(l => l.Contains("ashr")));
    }

    [Fact]
    public void SignedRemainderByConstant_NeedsOnlyTheDividendSign()
    {
        var (_, f, b, a, _) = Function();
        b.Return(b.Binary(BinOp.SRem, a, -8));
        var text = After(new SignedDivisionLowering(), f);
        Assert.Matches(@"urem %\d+, 8\n", text);
        Assert.Single(text.Split('\n').Where(l => l.Contains("ashr")));
    }
}
