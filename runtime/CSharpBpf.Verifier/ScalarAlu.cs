using System;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

/// <summary>
/// ALU operations on scalar abstract values: the tnum follows the bits, the intervals follow the
/// arithmetic; an operation that may overflow an interval drops it to "unknown" (never unsound).
/// 32-bit operations work on the low halves and zero-extend, as the ISA does.
/// </summary>
internal static class ScalarAlu
{
    /// <summary>dst = dst OP src for scalars; <paramref name="signedDivMod"/> = offset 1 (sdiv/smod).</summary>
    public static void Apply(RegState dst, RegState src, AluOp op, bool is64, bool signedDivMod)
    {
        var a = is64 ? dst.Clone() : Low32(dst);
        var b = is64 ? src : Low32(src);
        var r = new RegState { Type = RegType.Scalar };
        r.MarkUnknown();
        int width = is64 ? 64 : 32;
        switch (op)
        {
            case AluOp.Add: Add(a, b, r); break;
            case AluOp.Sub: Sub(a, b, r); break;
            case AluOp.Mul: Mul(a, b, r); break;
            case AluOp.And:
                r.Var = a.Var & b.Var;
                r.UMax = Math.Min(a.UMax, b.UMax);
                if (a.SMin >= 0 || b.SMin >= 0) { r.SMin = 0; r.SMax = (long)r.UMax >= 0 ? (long)r.UMax : long.MaxValue; }
                break;
            case AluOp.Or:
                r.Var = a.Var | b.Var;
                r.UMin = Math.Max(a.UMin, b.UMin);
                break;
            case AluOp.Xor:
                r.Var = a.Var ^ b.Var;
                break;
            case AluOp.Lsh:
                if (b.IsConst && b.ConstValue < (ulong)width)
                {
                    int k = (int)b.ConstValue;
                    r.Var = a.Var.Lsh(k);
                    if (k == 0 || a.UMax >> (64 - k) == 0) { r.UMin = a.UMin << k; r.UMax = a.UMax << k; }
                }
                break;
            case AluOp.Rsh:
                if (b.IsConst && b.ConstValue < (ulong)width)
                {
                    int k = (int)b.ConstValue;
                    r.Var = a.Var.Rsh(k);
                    r.UMin = a.UMin >> k;
                    r.UMax = a.UMax >> k;
                }
                break;
            case AluOp.Arsh:
                if (b.IsConst && b.ConstValue < (ulong)width)
                {
                    int k = (int)b.ConstValue;
                    if (is64)
                    {
                        r.Var = a.Var.Arsh(k, 64);
                        r.SMin = a.SMin >> k;
                        r.SMax = a.SMax >> k;
                    }
                    else
                    {
                        // Work on the sign-extended low half, then keep 32 bits.
                        var lo = dst.Var.Subreg;
                        r.Var = lo.Arsh(k, 32);
                        if (dst.S32Min == dst.S32Max) r.Var = Tnum.Const((uint)(dst.S32Min >> k));
                    }
                }
                break;
            case AluOp.Div:
                if (!signedDivMod && b.IsConst)
                {
                    ulong c = b.ConstValue;
                    if (c == 0) r.SetConst(0); // eBPF: x / 0 == 0
                    else { r.UMin = a.UMin / c; r.UMax = a.UMax / c; r.Var = Tnum.Range(r.UMin, r.UMax); }
                }
                break;
            case AluOp.Mod:
                if (!signedDivMod && b.IsConst)
                {
                    ulong c = b.ConstValue;
                    if (c == 0) r.CopyFrom(a); // eBPF: x % 0 == x
                    else if (a.UMax < c) r.CopyFrom(a);
                    else { r.UMin = 0; r.UMax = c - 1; r.Var = Tnum.Range(0, c - 1); }
                }
                break;
            default:
                break;
        }
        if (a.IsConst && b.IsConst) r.SetConst(Fold(a.ConstValue, b.ConstValue, op, width, signedDivMod));
        Finish(dst, r, is64);
    }

    public static ulong Fold(ulong a, ulong b, AluOp op, int width, bool signed)
    {
        ulong mask = width == 64 ? ulong.MaxValue : 0xffffffffUL;
        a &= mask; b &= mask;
        int sh = (int)(b & (ulong)(width - 1));
        ulong v = op switch
        {
            AluOp.Add => a + b,
            AluOp.Sub => a - b,
            AluOp.Mul => a * b,
            AluOp.And => a & b,
            AluOp.Or => a | b,
            AluOp.Xor => a ^ b,
            AluOp.Lsh => a << sh,
            AluOp.Rsh => a >> sh,
            AluOp.Arsh => width == 64 ? (ulong)((long)a >> sh) : (uint)((int)(uint)a >> sh),
            AluOp.Div => b == 0 ? 0 : signed ? SDiv(a, b, width) : a / b,
            AluOp.Mod => b == 0 ? a : signed ? SMod(a, b, width) : a % b,
            _ => 0,
        };
        return v & mask;
    }

    private static ulong SDiv(ulong a, ulong b, int width)
    {
        if (width == 64) { long x = (long)a, y = (long)b; return y == -1 ? (ulong)unchecked(-x) : (ulong)(x / y); }
        int p = (int)(uint)a, q = (int)(uint)b;
        return q == -1 ? (uint)unchecked(-p) : (uint)(p / q);
    }

    private static ulong SMod(ulong a, ulong b, int width)
    {
        if (width == 64) { long x = (long)a, y = (long)b; return y == -1 ? 0 : (ulong)(x % y); }
        int p = (int)(uint)a, q = (int)(uint)b;
        return q == -1 ? 0 : (uint)(p % q);
    }

    public static void Add(RegState a, RegState b, RegState r)
    {
        r.Var = a.Var + b.Var;
        ulong umin = a.UMin + b.UMin, umax = a.UMax + b.UMax;
        if (umax >= a.UMax && umin >= a.UMin && !(b.UMax > 0 && umax < b.UMax)) { r.UMin = umin; r.UMax = umax; }
        if (!AddOverflows(a.SMin, b.SMin) && !AddOverflows(a.SMax, b.SMax)) { r.SMin = a.SMin + b.SMin; r.SMax = a.SMax + b.SMax; }
    }

    public static void Sub(RegState a, RegState b, RegState r)
    {
        r.Var = a.Var - b.Var;
        if (a.UMin >= b.UMax) { r.UMin = a.UMin - b.UMax; r.UMax = a.UMax - b.UMin; }
        if (!SubOverflows(a.SMin, b.SMax) && !SubOverflows(a.SMax, b.SMin)) { r.SMin = a.SMin - b.SMax; r.SMax = a.SMax - b.SMin; }
    }

    private static void Mul(RegState a, RegState b, RegState r)
    {
        r.Var = a.Var * b.Var;
        if (a.UMax <= uint.MaxValue && b.UMax <= uint.MaxValue)
        {
            r.UMin = a.UMin * b.UMin;
            r.UMax = a.UMax * b.UMax;
        }
    }

    private static bool AddOverflows(long x, long y) { long s = unchecked(x + y); return ((x ^ s) & (y ^ s)) < 0; }
    private static bool SubOverflows(long x, long y) { long s = unchecked(x - y); return ((x ^ y) & (x ^ s)) < 0; }

    /// <summary>The low 32 bits of a scalar as a non-negative 64-bit value.</summary>
    public static RegState Low32(RegState s)
    {
        var r = new RegState { Type = RegType.Scalar, Var = s.Var.Subreg, UMin = s.U32Min, UMax = s.U32Max };
        r.SMin = (long)r.UMin; r.SMax = (long)r.UMax;
        r.U32Min = s.U32Min; r.U32Max = s.U32Max; r.S32Min = s.S32Min; r.S32Max = s.S32Max;
        return r;
    }

    /// <summary>Writes the computed value into dst (truncating and zero-extending a 32-bit result).</summary>
    private static void Finish(RegState dst, RegState r, bool is64)
    {
        int id = 0;
        dst.Reset(RegType.Scalar);
        dst.Id = id;
        dst.Var = r.Var; dst.UMin = r.UMin; dst.UMax = r.UMax; dst.SMin = r.SMin; dst.SMax = r.SMax;
        dst.U32Min = 0; dst.U32Max = uint.MaxValue; dst.S32Min = int.MinValue; dst.S32Max = int.MaxValue;
        if (!is64) Truncate(dst, 4);
        if (!dst.Sync()) dst.MarkUnknown();
    }

    /// <summary>Keeps the low <paramref name="bytes"/> bytes, zero-extended (a narrow load, a 32-bit result).</summary>
    public static void Truncate(RegState r, int bytes)
    {
        if (bytes >= 8) return;
        ulong max = (1UL << (bytes * 8)) - 1;
        if (r.UMax <= max && r.UMin <= r.UMax) { r.SMin = (long)r.UMin; r.SMax = (long)r.UMax; }
        else
        {
            r.Var = r.Var.Cast(bytes);
            r.UMin = r.Var.Min; r.UMax = r.Var.Max;
            r.SMin = (long)r.UMin; r.SMax = (long)r.UMax;
        }
        r.Var = r.Var.Cast(bytes);
        r.U32Min = 0; r.U32Max = uint.MaxValue; r.S32Min = int.MinValue; r.S32Max = int.MaxValue;
        if (!r.Sync()) { r.SetZeroExtendedUnknown(bytes * 8); }
    }

    /// <summary>Sign-extends the low <paramref name="bits"/> bits (movsx, ldsx); result width 64 or 32.</summary>
    public static void SignExtend(RegState r, int bits, bool to64)
    {
        if (r.IsConst)
        {
            long v = bits switch { 8 => (sbyte)r.ConstValue, 16 => (short)r.ConstValue, _ => (int)r.ConstValue };
            r.Reset(RegType.Scalar);
            r.SetConst(to64 ? (ulong)v : (uint)v);
            return;
        }
        ulong half = 1UL << (bits - 1);
        bool nonNegative = r.UMax < half;
        var keep = r.Clone();
        r.Reset(RegType.Scalar);
        r.MarkUnknown();
        if (nonNegative)
        {
            r.Var = keep.Var; r.UMin = keep.UMin; r.UMax = keep.UMax;
        }
        else if (to64)
        {
            r.SMin = -(long)half; r.SMax = (long)half - 1;
        }
        else
        {
            r.S32Min = -(int)half; r.S32Max = (int)(half - 1);
            Truncate(r, 4);
        }
        if (!r.Sync()) r.MarkUnknown();
    }
}
