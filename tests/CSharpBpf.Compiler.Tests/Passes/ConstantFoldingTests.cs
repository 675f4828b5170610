using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using Xunit;
using static CSharpBpf.Compiler.Tests.Passes.PassTestKit;

namespace CSharpBpf.Compiler.Tests.Passes;

public class ConstantFoldingTests
{
    [Fact]
    public void FoldsArithmeticOnConstants_AndPropagatesIntoUses()
    {
        var (_, f, b, a, _) = Function();
        var x = b.Const(Width.W64, 6);
        var y = b.Binary(BinOp.Mul, x, 7);
        var z = b.Binary(BinOp.Add, a, y);
        b.Return(z);
        var text = After(new ConstantFolding(), f);
        Assert.Contains("%3:64 = const 42", text);
        Assert.Contains("%4:64 = add %0, 42", text);
    }

    [Theory]
    [InlineData(BinOp.UDiv, 0L, "const 0")]      // eBPF: x / 0 == 0
    [InlineData(BinOp.URem, 0L, "mov %0")]       // eBPF: x % 0 == x
    [InlineData(BinOp.Mul, 1L, "mov %0")]
    [InlineData(BinOp.And, 0L, "const 0")]
    [InlineData(BinOp.Shl, 64L, "mov %0")]       // shift counts are masked: << 64 is << 0
    public void AppliesIdentities(BinOp op, long k, string expected)
    {
        var (_, f, b, a, _) = Function();
        b.Return(b.Binary(op, a, k));
        Assert.Contains("%2:64 = " + expected, After(new ConstantFolding(), f));
    }

    [Fact]
    public void ConstantBranch_BecomesJump()
    {
        var (_, f, b, a, _) = Function();
        var t = b.NewBlock("t");
        var e = b.NewBlock("e");
        var k = b.Const(Width.W32, -1);
        b.Branch(CmpOp.Ugt, k, 5, t, e);
        b.SetBlock(t);
        b.Return(a);
        b.SetBlock(e);
        b.Return(0L);
        Assert.Contains("jmp bb1", After(new ConstantFolding(), f)); // 0xffffffff >u 5
    }

    [Fact]
    public void SignedDivisionOfMinValueByMinusOne_Wraps()
    {
        Assert.Equal(long.MinValue, Evaluator.Binary(BinOp.SDiv, Width.W64, long.MinValue, -1));
        Assert.Equal(0, Evaluator.Binary(BinOp.SRem, Width.W64, long.MinValue, -1));
        Assert.Equal(0x8000_0000L, Evaluator.Binary(BinOp.SDiv, Width.W32, int.MinValue, -1));
    }

    [Fact]
    public void WideConstants_AreNotCopiedInto64BitUses()
    {
        var (_, f, b, a, _) = Function();
        var big = b.Const(Width.W64, 0x1_0000_0000L);
        var s1 = b.Binary(BinOp.Add, a, big);
        b.Return(b.Binary(BinOp.Xor, s1, big));
        var text = After(new ConstantFolding(), f);
        Assert.Contains("add %0, %2", text);
        Assert.Contains("xor %3, %2", text);
    }
}
