using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Compile-time arithmetic with exactly the run-time meaning of the eBPF instructions the IR
/// lowers to: wrap-around, shift counts masked to the width, x / 0 == 0, x % 0 == x,
/// MinValue / -1 == MinValue. A 32-bit value is kept as its zero-extended 64-bit view.
/// </summary>
public static class Evaluator
{
    public static long Normalize(long v, Width w) => w == Width.W32 ? (long)(uint)v : v;

    public static long Binary(BinOp op, Width w, long a, long b)
    {
        if (w == Width.W32) return (long)(uint)Binary32(op, (int)a, (int)b);
        return op switch
        {
            BinOp.Add => unchecked(a + b),
            BinOp.Sub => unchecked(a - b),
            BinOp.Mul => unchecked(a * b),
            BinOp.UDiv => b == 0 ? 0 : (long)((ulong)a / (ulong)b),
            BinOp.SDiv => b == 0 ? 0 : b == -1 ? unchecked(-a) : a / b,
            BinOp.URem => b == 0 ? a : (long)((ulong)a % (ulong)b),
            BinOp.SRem => b == 0 ? a : b == -1 ? 0 : a % b,
            BinOp.And => a & b,
            BinOp.Or => a | b,
            BinOp.Xor => a ^ b,
            BinOp.Shl => a << (int)(b & 63),
            BinOp.LShr => (long)((ulong)a >> (int)(b & 63)),
            _ => a >> (int)(b & 63),
        };
    }

    private static int Binary32(BinOp op, int a, int b) => op switch
    {
        BinOp.Add => unchecked(a + b),
        BinOp.Sub => unchecked(a - b),
        BinOp.Mul => unchecked(a * b),
        BinOp.UDiv => b == 0 ? 0 : (int)((uint)a / (uint)b),
        BinOp.SDiv => b == 0 ? 0 : b == -1 ? unchecked(-a) : a / b,
        BinOp.URem => b == 0 ? a : (int)((uint)a % (uint)b),
        BinOp.SRem => b == 0 ? a : b == -1 ? 0 : a % b,
        BinOp.And => a & b,
        BinOp.Or => a | b,
        BinOp.Xor => a ^ b,
        BinOp.Shl => a << (b & 31),
        BinOp.LShr => (int)((uint)a >> (b & 31)),
        _ => a >> (b & 31),
    };

    public static long Unary(UnOp op, Width w, long a) => Normalize(op switch
    {
        UnOp.Neg => unchecked(-a),
        UnOp.Not => ~a,
        UnOp.ByteSwap16 => (long)Swap((ulong)a, 2),
        UnOp.ByteSwap32 => (long)Swap((ulong)a, 4),
        _ => unchecked((long)Swap((ulong)a, 8)),
    }, w);

    /// <summary>The low <paramref name="bytes"/> bytes of <paramref name="v"/> reversed, zero-extended (eBPF be16/32/64).</summary>
    private static ulong Swap(ulong v, int bytes)
    {
        ulong r = 0;
        for (int i = 0; i < bytes; i++) r = (r << 8) | ((v >> (8 * i)) & 0xff);
        return r;
    }

    public static long Convert(long v, int fromBits, bool signed, Width to)
    {
        long x = fromBits switch
        {
            8 => signed ? (sbyte)v : (byte)v,
            16 => signed ? (short)v : (ushort)v,
            32 => signed ? (int)v : (uint)v,
            _ => v,
        };
        return Normalize(x, to);
    }

    public static bool Compare(CmpOp c, Width w, long a, long b)
    {
        if (w == Width.W32)
        {
            a = c is CmpOp.Slt or CmpOp.Sle or CmpOp.Sgt or CmpOp.Sge ? (int)a : (uint)a;
            b = c is CmpOp.Slt or CmpOp.Sle or CmpOp.Sgt or CmpOp.Sge ? (int)b : (uint)b;
        }
        return c switch
        {
            CmpOp.Eq => a == b,
            CmpOp.Ne => a != b,
            CmpOp.Ult => (ulong)a < (ulong)b,
            CmpOp.Ule => (ulong)a <= (ulong)b,
            CmpOp.Ugt => (ulong)a > (ulong)b,
            CmpOp.Uge => (ulong)a >= (ulong)b,
            CmpOp.Slt => a < b,
            CmpOp.Sle => a <= b,
            CmpOp.Sgt => a > b,
            CmpOp.Sge => a >= b,
            _ => (a & b) != 0,
        };
    }
}
