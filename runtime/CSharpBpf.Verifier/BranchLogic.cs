using System;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Verifier;

/// <summary>
/// Scalar comparisons: whether a branch is decided by the bounds (is_branch_taken) and what each side
/// learns (reg_set_min_max). 32-bit jumps work on the 32-bit bounds.
/// </summary>
internal static class BranchLogic
{
    public static JmpOp Negate(JmpOp op) => op switch
    {
        JmpOp.Jeq => JmpOp.Jne,
        JmpOp.Jne => JmpOp.Jeq,
        JmpOp.Jgt => JmpOp.Jle,
        JmpOp.Jle => JmpOp.Jgt,
        JmpOp.Jge => JmpOp.Jlt,
        JmpOp.Jlt => JmpOp.Jge,
        JmpOp.Jsgt => JmpOp.Jsle,
        JmpOp.Jsle => JmpOp.Jsgt,
        JmpOp.Jsge => JmpOp.Jslt,
        JmpOp.Jslt => JmpOp.Jsge,
        _ => op,
    };

    private readonly struct View
    {
        public View(RegState r, bool is64)
        {
            if (is64) { UMin = r.UMin; UMax = r.UMax; SMin = r.SMin; SMax = r.SMax; Var = r.Var; }
            else { UMin = r.U32Min; UMax = r.U32Max; SMin = r.S32Min; SMax = r.S32Max; Var = r.Var.Subreg; }
        }
        public readonly ulong UMin, UMax;
        public readonly long SMin, SMax;
        public readonly Tnum Var;
    }

    /// <summary>1 = always taken, 0 = never, -1 = depends.</summary>
    public static int IsTaken(RegState a, RegState b, JmpOp op, bool is64)
    {
        var x = new View(a, is64);
        var y = new View(b, is64);
        switch (op)
        {
            case JmpOp.Jeq:
                if (x.Var.IsConst && y.Var.IsConst) return x.Var.Value == y.Var.Value ? 1 : 0;
                if (x.UMin > y.UMax || x.UMax < y.UMin || x.SMin > y.SMax || x.SMax < y.SMin) return 0;
                if (((x.Var.Value ^ y.Var.Value) & ~(x.Var.Mask | y.Var.Mask)) != 0) return 0;
                return -1;
            case JmpOp.Jne:
                int eq = IsTaken(a, b, JmpOp.Jeq, is64);
                return eq < 0 ? -1 : 1 - eq;
            case JmpOp.Jgt: return x.UMin > y.UMax ? 1 : x.UMax <= y.UMin ? 0 : -1;
            case JmpOp.Jge: return x.UMin >= y.UMax ? 1 : x.UMax < y.UMin ? 0 : -1;
            case JmpOp.Jlt: return x.UMax < y.UMin ? 1 : x.UMin >= y.UMax ? 0 : -1;
            case JmpOp.Jle: return x.UMax <= y.UMin ? 1 : x.UMin > y.UMax ? 0 : -1;
            case JmpOp.Jsgt: return x.SMin > y.SMax ? 1 : x.SMax <= y.SMin ? 0 : -1;
            case JmpOp.Jsge: return x.SMin >= y.SMax ? 1 : x.SMax < y.SMin ? 0 : -1;
            case JmpOp.Jslt: return x.SMax < y.SMin ? 1 : x.SMin >= y.SMax ? 0 : -1;
            case JmpOp.Jsle: return x.SMax <= y.SMin ? 1 : x.SMin > y.SMax ? 0 : -1;
            case JmpOp.Jset:
                if ((x.Var.Value & y.Var.Value) != 0) return 1;
                if ((x.Var.Max & y.Var.Max) == 0) return 0;
                return -1;
            default: return -1;
        }
    }

    /// <summary>Narrows a and b to the values where "a OP b" holds; false when no values remain.</summary>
    public static bool Refine(RegState a, RegState b, JmpOp op, bool is64)
    {
        switch (op)
        {
            case JmpOp.Jlt: return Refine(b, a, JmpOp.Jgt, is64);
            case JmpOp.Jle: return Refine(b, a, JmpOp.Jge, is64);
            case JmpOp.Jslt: return Refine(b, a, JmpOp.Jsgt, is64);
            case JmpOp.Jsle: return Refine(b, a, JmpOp.Jsge, is64);
        }
        if (is64)
        {
            if (!Refine64(a, b, op)) return false;
        }
        else
        {
            if (!Refine32(a, b, op)) return false;
        }
        return a.Sync() && b.Sync();
    }

    private static bool Refine64(RegState a, RegState b, JmpOp op)
    {
        switch (op)
        {
            case JmpOp.Jeq:
                a.UMin = b.UMin = Math.Max(a.UMin, b.UMin);
                a.UMax = b.UMax = Math.Min(a.UMax, b.UMax);
                a.SMin = b.SMin = Math.Max(a.SMin, b.SMin);
                a.SMax = b.SMax = Math.Min(a.SMax, b.SMax);
                a.Var = b.Var = a.Var.Intersect(b.Var);
                return (a.Var.Value & a.Var.Mask) == 0;
            case JmpOp.Jne:
                if (b.IsConst) ExcludeConst64(a, b.ConstValue);
                else if (a.IsConst) ExcludeConst64(b, a.ConstValue);
                return true;
            case JmpOp.Jgt:
                if (b.UMin == ulong.MaxValue || a.UMax == 0) return false;
                a.UMin = Math.Max(a.UMin, b.UMin + 1);
                b.UMax = Math.Min(b.UMax, a.UMax - 1);
                return true;
            case JmpOp.Jge:
                a.UMin = Math.Max(a.UMin, b.UMin);
                b.UMax = Math.Min(b.UMax, a.UMax);
                return true;
            case JmpOp.Jsgt:
                if (b.SMin == long.MaxValue || a.SMax == long.MinValue) return false;
                a.SMin = Math.Max(a.SMin, b.SMin + 1);
                b.SMax = Math.Min(b.SMax, a.SMax - 1);
                return true;
            case JmpOp.Jsge:
                a.SMin = Math.Max(a.SMin, b.SMin);
                b.SMax = Math.Min(b.SMax, a.SMax);
                return true;
            case JmpOp.Jset:
                if (b.IsConst && IsPowerOfTwo(b.ConstValue)) a.Var = new Tnum(a.Var.Value | b.ConstValue, a.Var.Mask & ~b.ConstValue);
                return true;
            case JmpNotSet:
                if (b.IsConst) a.Var = new Tnum(a.Var.Value & ~b.ConstValue, a.Var.Mask & ~b.ConstValue);
                return true;
        }
        return true;
    }

    /// <summary>Pseudo-op for the false side of JSET.</summary>
    public const JmpOp JmpNotSet = (JmpOp)0xff;

    private static bool Refine32(RegState a, RegState b, JmpOp op)
    {
        switch (op)
        {
            case JmpOp.Jeq:
                a.U32Min = b.U32Min = Math.Max(a.U32Min, b.U32Min);
                a.U32Max = b.U32Max = Math.Min(a.U32Max, b.U32Max);
                a.S32Min = b.S32Min = Math.Max(a.S32Min, b.S32Min);
                a.S32Max = b.S32Max = Math.Min(a.S32Max, b.S32Max);
                var sub = a.Var.Subreg.Intersect(b.Var.Subreg);
                if ((sub.Value & sub.Mask) != 0) return false;
                a.Var = a.Var.ClearSubreg | sub;
                b.Var = b.Var.ClearSubreg | sub;
                return true;
            case JmpOp.Jne:
                if (b.Var.Subreg.IsConst) ExcludeConst32(a, (uint)b.Var.Value);
                else if (a.Var.Subreg.IsConst) ExcludeConst32(b, (uint)a.Var.Value);
                return true;
            case JmpOp.Jgt:
                if (b.U32Min == uint.MaxValue || a.U32Max == 0) return false;
                a.U32Min = Math.Max(a.U32Min, b.U32Min + 1);
                b.U32Max = Math.Min(b.U32Max, a.U32Max - 1);
                return true;
            case JmpOp.Jge:
                a.U32Min = Math.Max(a.U32Min, b.U32Min);
                b.U32Max = Math.Min(b.U32Max, a.U32Max);
                return true;
            case JmpOp.Jsgt:
                if (b.S32Min == int.MaxValue || a.S32Max == int.MinValue) return false;
                a.S32Min = Math.Max(a.S32Min, b.S32Min + 1);
                b.S32Max = Math.Min(b.S32Max, a.S32Max - 1);
                return true;
            case JmpOp.Jsge:
                a.S32Min = Math.Max(a.S32Min, b.S32Min);
                b.S32Max = Math.Min(b.S32Max, a.S32Max);
                return true;
            case JmpNotSet:
                if (b.Var.Subreg.IsConst)
                {
                    ulong c = b.Var.Value & 0xffffffffUL;
                    a.Var = new Tnum(a.Var.Value & ~c, a.Var.Mask & ~c);
                }
                return true;
        }
        return true;
    }

    private static bool IsPowerOfTwo(ulong v) => v != 0 && (v & (v - 1)) == 0;

    private static void ExcludeConst64(RegState a, ulong c)
    {
        if (a.UMin == c && a.UMin < a.UMax) a.UMin++;
        else if (a.UMax == c && a.UMin < a.UMax) a.UMax--;
        if (a.SMin == (long)c && a.SMin < a.SMax) a.SMin++;
        else if (a.SMax == (long)c && a.SMin < a.SMax) a.SMax--;
    }

    private static void ExcludeConst32(RegState a, uint c)
    {
        if (a.U32Min == c && a.U32Min < a.U32Max) a.U32Min++;
        else if (a.U32Max == c && a.U32Min < a.U32Max) a.U32Max--;
        if (a.S32Min == (int)c && a.S32Min < a.S32Max) a.S32Min++;
        else if (a.S32Max == (int)c && a.S32Min < a.S32Max) a.S32Max--;
    }
}
