using System;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Tests.Backend.Property;

/// <summary>
/// The meaning of an expression written with C#'s own operators (unchecked int/uint/long/ulong,
/// casts), independent of the compiler's evaluator. Where C# throws, the compiler documents
/// eBPF semantics instead, and this reference encodes that documented choice:
/// x / 0 == 0, x % 0 == x, MinValue / -1 == MinValue, MinValue % -1 == 0.
/// 32-bit values are returned zero-extended (what a w-register holds).
/// </summary>
internal static class ReferenceEvaluator
{
    public static long Eval(Expr e, long[] inputs) => e switch
    {
        VarExpr v => v.W == Width.W32 ? (uint)inputs[v.Index] : inputs[v.Index],
        ConstExpr c => c.W == Width.W32 ? (uint)c.Value : c.Value,
        BinExpr b => b.W == Width.W32 ? (uint)Bin32(b.Op, (uint)Eval(b.L, inputs), (uint)Eval(b.R, inputs)) : Bin64(b.Op, Eval(b.L, inputs), Eval(b.R, inputs)),
        UnExpr u => u.W == Width.W32
            ? (uint)(u.Op == UnOp.Neg ? unchecked(-(int)(uint)Eval(u.X, inputs)) : ~(int)(uint)Eval(u.X, inputs))
            : (u.Op == UnOp.Neg ? unchecked(-Eval(u.X, inputs)) : ~Eval(u.X, inputs)),
        ConvExpr c => Conv(c, Eval(c.X, inputs)),
        CmpExpr c => Cmp(c.Cond, c.L.Width, Eval(c.L, inputs), Eval(c.R, inputs)) ? 1 : 0,
        CallBarrierExpr c => Bin(c.W, BinOp.Xor, Eval(c.X, inputs), Eval(c.Y, inputs)),
        SelectExpr s => Cmp(s.Cond, s.L.Width, Eval(s.L, inputs), Eval(s.R, inputs)) ? Eval(s.A, inputs) : Eval(s.B, inputs),
        _ => throw new ArgumentException(e.ToString()),
    };

    private static long Bin(Width w, BinOp op, long a, long b) => w == Width.W32 ? (uint)Bin32(op, (uint)a, (uint)b) : Bin64(op, a, b);

    private static long Conv(ConvExpr c, long x)
    {
        long v = (c.FromBits, c.Signed) switch
        {
            (8, true) => (sbyte)x,
            (8, false) => (byte)x,
            (16, true) => (short)x,
            (16, false) => (ushort)x,
            (32, true) => (int)x,
            (32, false) => (uint)x,
            _ => x,
        };
        return c.W == Width.W32 ? (uint)v : v;
    }

    private static int Bin32(BinOp op, uint a, uint b)
    {
        int sa = (int)a, sb = (int)b;
        return op switch
        {
            BinOp.Add => unchecked(sa + sb),
            BinOp.Sub => unchecked(sa - sb),
            BinOp.Mul => unchecked(sa * sb),
            BinOp.UDiv => b == 0 ? 0 : (int)(a / b),
            BinOp.URem => b == 0 ? sa : (int)(a % b),
            BinOp.SDiv => sb == 0 ? 0 : (sa == int.MinValue && sb == -1) ? int.MinValue : sa / sb,
            BinOp.SRem => sb == 0 ? sa : sb == -1 ? 0 : sa % sb,
            BinOp.And => sa & sb,
            BinOp.Or => sa | sb,
            BinOp.Xor => sa ^ sb,
            BinOp.Shl => sa << sb,          // C# masks an int shift count to 5 bits
            BinOp.LShr => (int)(a >> sb),
            BinOp.AShr => sa >> sb,
            _ => throw new ArgumentException(op.ToString()),
        };
    }

    private static long Bin64(BinOp op, long a, long b) => op switch
    {
        BinOp.Add => unchecked(a + b),
        BinOp.Sub => unchecked(a - b),
        BinOp.Mul => unchecked(a * b),
        BinOp.UDiv => b == 0 ? 0 : (long)((ulong)a / (ulong)b),
        BinOp.URem => b == 0 ? a : (long)((ulong)a % (ulong)b),
        BinOp.SDiv => b == 0 ? 0 : (a == long.MinValue && b == -1) ? long.MinValue : a / b,
        BinOp.SRem => b == 0 ? a : b == -1 ? 0 : a % b,
        BinOp.And => a & b,
        BinOp.Or => a | b,
        BinOp.Xor => a ^ b,
        BinOp.Shl => a << (int)b,           // C# masks a long shift count to 6 bits
        BinOp.LShr => (long)((ulong)a >> (int)b),
        BinOp.AShr => a >> (int)b,
        _ => throw new ArgumentException(op.ToString()),
    };

    private static bool Cmp(CmpOp c, Width w, long a, long b)
    {
        if (w == Width.W32)
        {
            uint ua = (uint)a, ub = (uint)b;
            int ia = (int)ua, ib = (int)ub;
            return c switch
            {
                CmpOp.Eq => ua == ub, CmpOp.Ne => ua != ub,
                CmpOp.Ult => ua < ub, CmpOp.Ule => ua <= ub, CmpOp.Ugt => ua > ub, CmpOp.Uge => ua >= ub,
                CmpOp.Slt => ia < ib, CmpOp.Sle => ia <= ib, CmpOp.Sgt => ia > ib, CmpOp.Sge => ia >= ib,
                _ => (ua & ub) != 0,
            };
        }
        ulong xa = (ulong)a, xb = (ulong)b;
        return c switch
        {
            CmpOp.Eq => a == b, CmpOp.Ne => a != b,
            CmpOp.Ult => xa < xb, CmpOp.Ule => xa <= xb, CmpOp.Ugt => xa > xb, CmpOp.Uge => xa >= xb,
            CmpOp.Slt => a < b, CmpOp.Sle => a <= b, CmpOp.Sgt => a > b, CmpOp.Sge => a >= b,
            _ => (xa & xb) != 0,
        };
    }
}
