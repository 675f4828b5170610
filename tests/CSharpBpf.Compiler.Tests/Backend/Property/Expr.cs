using System;
using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Tests.Backend.Property;

/// <summary>A random arithmetic expression over three inputs, typed 32 or 64 bits.</summary>
internal abstract record Expr(Width Width);
internal sealed record VarExpr(Width W, int Index) : Expr(W);
internal sealed record ConstExpr(Width W, long Value) : Expr(W);
internal sealed record BinExpr(Width W, BinOp Op, Expr L, Expr R) : Expr(W);
internal sealed record UnExpr(Width W, UnOp Op, Expr X) : Expr(W);
/// <summary>Low FromBits of X (any width), extended to W.</summary>
internal sealed record ConvExpr(Width W, Expr X, int FromBits, bool Signed) : Expr(W);
/// <summary>(L cond R) ? 1 : 0 at the operands' width, result 32-bit.</summary>
internal sealed record CmpExpr(CmpOp Cond, Expr L, Expr R) : Expr(Width.W32);
/// <summary>(L cond R) ? A : B — a branch diamond.</summary>
/// <summary>X, with a helper call after computing it: X's value must survive the call (r6-r9 or the stack).</summary>
internal sealed record CallBarrierExpr(Width W, Expr X, Expr Y) : Expr(W);
internal sealed record SelectExpr(Width W, CmpOp Cond, Expr L, Expr R, Expr A, Expr B) : Expr(W);

internal static class ExprGenerator
{
    private static readonly BinOp[] Ops = (BinOp[])Enum.GetValues(typeof(BinOp));
    private static readonly CmpOp[] Conds = (CmpOp[])Enum.GetValues(typeof(CmpOp));
    private static readonly long[] Interesting =
    {
        0, 1, 2, 3, 7, 8, 31, 32, 63, 64, 255, 256, 0x7fff, 0x8000, 0xffff, int.MaxValue, int.MinValue,
        uint.MaxValue, -1, -2, -8, long.MaxValue, long.MinValue, 0x1_0000_0000L, 0x1234_5678_9abc_def0L,
    };

    public static Expr Generate(Random rng, Width w, int depth)
    {
        if (depth <= 0 || rng.Next(4) == 0)
            return rng.Next(3) == 0 ? new ConstExpr(w, Constant(rng, w)) : new VarExpr(w, rng.Next(3));
        switch (rng.Next(10))
        {
            case 0:
                return new UnExpr(w, rng.Next(2) == 0 ? UnOp.Neg : UnOp.Not, Generate(rng, w, depth - 1));
            case 1:
            {
                var from = rng.Next(2) == 0 ? Width.W32 : Width.W64;
                int bits = new[] { 8, 16, 32, 64 }[rng.Next(4)];
                if (bits > (int)from) bits = (int)from;
                if (bits > (int)w) bits = (int)w;
                return new ConvExpr(w, Generate(rng, from, depth - 1), bits, rng.Next(2) == 0);
            }
            case 2 when w == Width.W32:
            {
                var cw = rng.Next(2) == 0 ? Width.W32 : Width.W64;
                return new CmpExpr(Conds[rng.Next(Conds.Length)], Generate(rng, cw, depth - 1), Generate(rng, cw, depth - 1));
            }
            case 4 when rng.Next(3) == 0:
                return new CallBarrierExpr(w, Generate(rng, w, depth - 1), Generate(rng, w, depth - 1));
            case 3:
            {
                var cw = rng.Next(2) == 0 ? Width.W32 : Width.W64;
                return new SelectExpr(w, Conds[rng.Next(Conds.Length)], Generate(rng, cw, depth - 1), Generate(rng, cw, depth - 1),
                    Generate(rng, w, depth - 1), Generate(rng, w, depth - 1));
            }
            default:
                return new BinExpr(w, Ops[rng.Next(Ops.Length)], Generate(rng, w, depth - 1), Generate(rng, w, depth - 1));
        }
    }

    public static long Constant(Random rng, Width w)
    {
        long v = rng.Next(3) switch
        {
            0 => Interesting[rng.Next(Interesting.Length)],
            1 => rng.Next(-100, 100),
            _ => ((long)rng.Next() << 33) ^ ((long)rng.Next() << 2) ^ rng.Next(4),
        };
        return w == Width.W32 ? (long)(uint)v : v;
    }

    public static long Input(Random rng) => rng.Next(4) switch
    {
        0 => Interesting[rng.Next(Interesting.Length)],
        1 => rng.Next(-1000, 1000),
        _ => ((long)rng.Next() << 33) ^ ((long)rng.Next() << 2) ^ rng.Next(4),
    };

    public static int Size(Expr e) => e switch
    {
        BinExpr b => 1 + Size(b.L) + Size(b.R),
        UnExpr u => 1 + Size(u.X),
        ConvExpr c => 1 + Size(c.X),
        CmpExpr c => 1 + Size(c.L) + Size(c.R),
        CallBarrierExpr c => 2 + Size(c.X) + Size(c.Y),
        SelectExpr s => 1 + Size(s.L) + Size(s.R) + Size(s.A) + Size(s.B),
        _ => 1,
    };
}
