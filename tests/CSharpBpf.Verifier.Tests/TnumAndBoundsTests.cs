using CSharpBpf.Object.Isa;
using CSharpBpf.Verifier;
using Xunit;

namespace CSharpBpf.Verifier.Tests;

public class TnumAndBoundsTests
{
    [Fact]
    public void Tnum_add_of_ranges_contains_every_sum()
    {
        var a = Tnum.Range(0, 3);
        var b = Tnum.Range(4, 7);
        var sum = a + b;
        for (ulong x = 0; x <= 3; x++)
            for (ulong y = 4; y <= 7; y++)
                Assert.True(sum.Contains(Tnum.Const(x + y)), $"{x}+{y} not in {sum}");
    }

    [Fact]
    public void Tnum_and_with_mask_bounds_the_value()
    {
        var t = Tnum.Unknown & Tnum.Const(0xf);
        Assert.Equal(0UL, t.Min);
        Assert.Equal(15UL, t.Max);
        Assert.False(t.Contains(Tnum.Const(16)));
    }

    [Fact]
    public void Tnum_mul_contains_products()
    {
        var a = Tnum.Range(2, 3);
        var p = a * Tnum.Const(5);
        Assert.True(p.Contains(Tnum.Const(10)));
        Assert.True(p.Contains(Tnum.Const(15)));
    }

    [Fact]
    public void Thirty_two_bit_add_wraps_and_zero_extends()
    {
        var r = RegState.ConstScalar(0xffffffff);
        ScalarAlu.Apply(r, RegState.ConstScalar(1), AluOp.Add, is64: false, signedDivMod: false);
        Assert.True(r.IsConst);
        Assert.Equal(0UL, r.ConstValue);
    }

    [Fact]
    public void Unsigned_compare_narrows_both_sides()
    {
        var a = RegState.UnknownScalar();
        var c = RegState.ConstScalar(100);
        Assert.True(BranchLogic.Refine(a, c, JmpOp.Jlt, is64: true));
        Assert.Equal(0UL, a.UMin);
        Assert.Equal(99UL, a.UMax);
        Assert.Equal(0, BranchLogic.IsTaken(a, RegState.ConstScalar(200), JmpOp.Jgt, true));
    }

    [Fact]
    public void Contradictory_bounds_make_the_branch_impossible()
    {
        var a = RegState.ConstScalar(5);
        Assert.False(BranchLogic.Refine(a, RegState.ConstScalar(5), JmpOp.Jgt, true));
    }

    [Fact]
    public void Narrow_load_is_zero_extended()
    {
        var r = RegState.UnknownScalar();
        ScalarAlu.Truncate(r, 2);
        Assert.Equal(0xffffUL, r.UMax);
        Assert.Equal(0, r.SMin);
    }
}

public class ThirtyTwoBitBranchTests
{
    [Fact]
    public void A_zero_extended_u32_can_equal_zero_in_a_32_bit_compare()
    {
        // Regression: [0, 0xffffffff] as s64 once produced s32 bounds [0, -1] and made the branch impossible.
        var a = new RegState();
        a.SetZeroExtended(32);
        Assert.Equal(-1, BranchLogic.IsTaken(a, RegState.ConstScalar(0), Object.Isa.JmpOp.Jeq, false));
        Assert.True(BranchLogic.Refine(a, RegState.ConstScalar(0), Object.Isa.JmpOp.Jeq, false));
        Assert.True(a.IsConst);
        Assert.Equal(0UL, a.ConstValue);
    }
}
