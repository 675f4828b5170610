using System;

namespace CSharpBpf.Verifier;

/// <summary>
/// The abstract value of one register: its type and, for scalars (and the variable part of pointer
/// offsets), a tnum plus unsigned/signed 64- and 32-bit bounds that are kept consistent by <see cref="Sync"/>.
/// Mutable; states are copied with <see cref="Clone"/> at every fork.
/// </summary>
public sealed class RegState
{
    public RegType Type;
    public bool MaybeNull;
    public Tnum Var = Tnum.Const(0);
    public ulong UMin, UMax;
    public long SMin, SMax;
    public uint U32Min, U32Max;
    public int S32Min, S32Max;
    /// <summary>Fixed byte offset of a pointer from its base.</summary>
    public int Off;
    /// <summary>Links copies: null checks and scalar bounds learned on one copy apply to all registers with the same id.</summary>
    public int Id;
    /// <summary>PTR_TO_PACKET: bytes from the pointer's base verified to be below data_end.</summary>
    public int Range;
    public MapDescriptor? Map;
    /// <summary>PTR_TO_MEM: size of the memory; PTR_TO_BTF_ID: size of the struct (0 = unknown).</summary>
    public int MemSize;
    /// <summary>Non-zero when the pointer holds an acquired reference that must be released.</summary>
    public int RefObjId;
    /// <summary>PTR_TO_STACK: the call frame the pointer points into.</summary>
    public int Frame;
    /// <summary>PTR_TO_BTF_ID: the struct's BTF type id in <see cref="VerifierProgramSpec.Btf"/> (0 = unknown type).</summary>
    public uint BtfId;
    public string BtfName = "";
    /// <summary>PTR_TO_FUNC: subprogram start instruction.</summary>
    public int FuncTarget;

    public static RegState NotInit() => new() { Type = RegType.NotInit };

    public static RegState UnknownScalar()
    {
        var r = new RegState { Type = RegType.Scalar };
        r.MarkUnknown();
        return r;
    }

    public static RegState ConstScalar(ulong v)
    {
        var r = new RegState { Type = RegType.Scalar };
        r.SetConst(v);
        return r;
    }

    public static RegState Pointer(RegType type, int off = 0)
    {
        var r = new RegState { Type = type, Off = off };
        r.SetConst(0);
        return r;
    }

    public bool IsScalar => Type == RegType.Scalar;
    public bool IsPointer => Type != RegType.Scalar && Type != RegType.NotInit;
    public bool IsConst => Var.IsConst;
    public ulong ConstValue => Var.Value;
    public bool IsPacketLike => Type is RegType.PtrToPacket or RegType.PtrToPacketMeta;

    public string TypeName => Type == RegType.PtrToBtfId ? "ptr_" + BtfName : RegTypeNames.Name(Type, MaybeNull);

    public void MarkUnknown()
    {
        Var = Tnum.Unknown;
        UMin = 0; UMax = ulong.MaxValue;
        SMin = long.MinValue; SMax = long.MaxValue;
        U32Min = 0; U32Max = uint.MaxValue;
        S32Min = int.MinValue; S32Max = int.MaxValue;
    }

    public void SetConst(ulong v)
    {
        Var = Tnum.Const(v);
        UMin = UMax = v;
        SMin = SMax = (long)v;
        U32Min = U32Max = (uint)v;
        S32Min = S32Max = (int)(uint)v;
    }

    /// <summary>Turns this register into an unknown scalar (drops pointer identity and links).</summary>
    public void BecomeUnknownScalar()
    {
        Reset(RegType.Scalar);
        MarkUnknown();
    }

    public void Reset(RegType type)
    {
        Type = type; MaybeNull = false; Off = 0; Id = 0; Range = 0; Map = null; MemSize = 0; RefObjId = 0; Frame = 0;
        BtfId = 0; BtfName = ""; FuncTarget = 0;
        SetConst(0);
    }

    /// <summary>A scalar known to be within [0, 2^bits - 1] (a zero-extending load or a 32-bit result).</summary>
    public void SetZeroExtended(int bits)
    {
        Reset(RegType.Scalar);
        MarkUnknown();
        if (bits < 64)
        {
            UMax = (1UL << bits) - 1;
            Var = Tnum.Range(0, UMax);
        }
        Sync();
    }

    public RegState Clone() => (RegState)MemberwiseClone();

    public void CopyFrom(RegState o)
    {
        Type = o.Type; MaybeNull = o.MaybeNull; Var = o.Var; UMin = o.UMin; UMax = o.UMax; SMin = o.SMin; SMax = o.SMax;
        U32Min = o.U32Min; U32Max = o.U32Max; S32Min = o.S32Min; S32Max = o.S32Max; Off = o.Off; Id = o.Id; Range = o.Range;
        Map = o.Map; MemSize = o.MemSize; RefObjId = o.RefObjId; Frame = o.Frame; BtfId = o.BtfId; BtfName = o.BtfName;
        FuncTarget = o.FuncTarget;
    }

    /// <summary>
    /// Tightens every bound from the others (tnum ↔ unsigned ↔ signed, 64 ↔ 32 bits), like the kernel's
    /// reg_bounds_sync. Returns false when the bounds contradict each other: the path is impossible.
    /// </summary>
    public bool Sync()
    {
        for (int round = 0; round < 2; round++)
        {
            // tnum -> 64-bit unsigned
            UMin = Math.Max(UMin, Var.Min);
            UMax = Math.Min(UMax, Var.Max);
            // 64-bit unsigned <-> signed when the range does not cross the sign boundary
            if ((long)UMin <= (long)UMax) { SMin = Math.Max(SMin, (long)UMin); SMax = Math.Min(SMax, (long)UMax); }
            if (SMin >= 0 || SMax < 0) { UMin = Math.Max(UMin, (ulong)SMin); UMax = Math.Min(UMax, (ulong)SMax); }
            // 64 -> 32 when the upper halves agree
            if (UMin >> 32 == UMax >> 32) { U32Min = Math.Max(U32Min, (uint)UMin); U32Max = Math.Min(U32Max, (uint)UMax); }
            // (the low halves as signed 32-bit must not wrap: [0, 0xffffffff] says nothing about s32)
            if (SMin >> 32 == SMax >> 32 && (int)SMin <= (int)SMax) { S32Min = Math.Max(S32Min, (int)SMin); S32Max = Math.Min(S32Max, (int)SMax); }
            if (UMin >> 32 == UMax >> 32 && (int)(uint)UMin <= (int)(uint)UMax) { S32Min = Math.Max(S32Min, (int)(uint)UMin); S32Max = Math.Min(S32Max, (int)(uint)UMax); }
            // tnum -> 32
            var sub = Var.Subreg;
            U32Min = Math.Max(U32Min, (uint)sub.Min);
            U32Max = Math.Min(U32Max, (uint)sub.Max);
            if ((int)U32Min <= (int)U32Max) { S32Min = Math.Max(S32Min, (int)U32Min); S32Max = Math.Min(S32Max, (int)U32Max); }
            if (S32Min >= 0 || S32Max < 0) { U32Min = Math.Max(U32Min, (uint)S32Min); U32Max = Math.Min(U32Max, (uint)S32Max); }
            // 32 -> 64 when the upper half is fixed
            if (UMin >> 32 == UMax >> 32)
            {
                ulong hi = UMin & 0xffffffff00000000UL;
                UMin = Math.Max(UMin, hi | U32Min);
                UMax = Math.Min(UMax, hi | U32Max);
            }
            // bounds -> tnum
            if (UMin > UMax || SMin > SMax || U32Min > U32Max || S32Min > S32Max) return false;
            Var = Var.Intersect(Tnum.Range(UMin, UMax));
            var sub32 = Var.Subreg.Intersect(Tnum.Range(U32Min, U32Max));
            Var = Var.ClearSubreg | sub32;
            if ((Var.Value & Var.Mask) != 0) return false;
        }
        return UMin <= UMax && SMin <= SMax && U32Min <= U32Max && S32Min <= S32Max;
    }

    public override string ToString()
    {
        if (Type == RegType.NotInit) return "?";
        if (Type == RegType.Scalar)
            return IsConst ? ((long)ConstValue).ToString() : $"scalar(umin={UMin},umax={UMax},smin={SMin},smax={SMax},var={Var})";
        string s = $"{TypeName}(off={Off}";
        if (!Var.IsConst || Var.Value != 0) s += $",var={Var},umax={UMax}";
        if (IsPacketLike) s += $",r={Range}";
        if (Id != 0) s += $",id={Id}";
        return s + ")";
    }
}

public static class RegStateExtensions
{
    /// <summary>An unknown scalar in [0, 2^bits - 1].</summary>
    public static void SetZeroExtendedUnknown(this RegState r, int bits) => r.SetZeroExtended(bits);
}
