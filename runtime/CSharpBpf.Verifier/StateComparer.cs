using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>
/// State pruning (a simple form of the kernel's states_equal): a new state is safe if an old, fully
/// explored state at the same instruction covered it. Old NOT_INIT registers and INVALID stack bytes
/// cover anything, because the old path never read them (it would have been refused); scalar ranges and
/// tnums must contain the new ones; pointers must match in type, offset and verified range.
/// </summary>
internal static class StateComparer
{
    public static bool Covers(VerifierState old, VerifierState cur, bool exact)
    {
        if (old.Frames.Count != cur.Frames.Count) return false;
        if (old.References.Count != cur.References.Count) return false;
        if (old.RcuLocked != cur.RcuLocked) return false;
        var ids = new Dictionary<int, int>();
        for (int f = 0; f < old.Frames.Count; f++)
        {
            var of = old.Frames[f];
            var cf = cur.Frames[f];
            if (of.CallSite != cf.CallSite) return false;
            for (int r = 0; r < of.Regs.Length; r++)
                if (!RegCovers(of.Regs[r], cf.Regs[r], exact, ids)) return false;
            for (int i = 0; i < FrameState.StackSize; i++)
            {
                byte o = of.Bytes[i], c = cf.Bytes[i];
                if (exact && o != c) return false;
                if (o == (byte)StackSlotKind.Invalid) continue;
                if (c == (byte)StackSlotKind.Invalid) return false;
                if (o == (byte)StackSlotKind.Misc) continue;
                if (o == (byte)StackSlotKind.Zero)
                {
                    if (c == (byte)StackSlotKind.Zero) continue;
                    if (c == (byte)StackSlotKind.Spill)
                    {
                        var sp = cf.Spills[i / 8];
                        if (sp != null && sp.IsScalar && sp.IsConst && sp.ConstValue == 0) continue;
                    }
                    return false;
                }
                // old spill
                if (c != (byte)StackSlotKind.Spill) return false;
                if (i % 8 == 0)
                {
                    var os = of.Spills[i / 8];
                    var cs = cf.Spills[i / 8];
                    if (os == null || cs == null) { if (os != cs) return false; continue; }
                    if (of.SpillSizes[i / 8] != cf.SpillSizes[i / 8]) return false;
                    if (!RegCovers(os, cs, exact, ids)) return false;
                }
            }
        }
        return true;
    }

    private static bool RegCovers(RegState o, RegState c, bool exact, Dictionary<int, int> ids)
    {
        if (o.Type == RegType.NotInit) return !exact || c.Type == RegType.NotInit;
        if (o.Type != c.Type) return false;
        if (o.Type == RegType.Scalar)
        {
            if (exact)
                return o.Var.Equals(c.Var) && o.UMin == c.UMin && o.UMax == c.UMax && o.SMin == c.SMin && o.SMax == c.SMax &&
                       o.U32Min == c.U32Min && o.U32Max == c.U32Max && o.S32Min == c.S32Min && o.S32Max == c.S32Max &&
                       SameId(o.Id, c.Id, ids);
            // An unlinked old scalar covers; a linked one needs the same links in the new state.
            if (o.Id != 0 && !SameId(o.Id, c.Id, ids)) return false;
            return o.Var.Contains(c.Var) && o.UMin <= c.UMin && o.UMax >= c.UMax && o.SMin <= c.SMin && o.SMax >= c.SMax &&
                   o.U32Min <= c.U32Min && o.U32Max >= c.U32Max && o.S32Min <= c.S32Min && o.S32Max >= c.S32Max;
        }
        if (o.MaybeNull != c.MaybeNull || o.Off != c.Off || o.Map != c.Map || o.MemSize != c.MemSize ||
            o.Frame != c.Frame || o.BtfId != c.BtfId || o.FuncTarget != c.FuncTarget) return false;
        if ((o.RefObjId != 0) != (c.RefObjId != 0)) return false;
        if (o.IsPacketLike && (exact ? o.Range != c.Range : o.Range > c.Range)) return false;
        if (!(exact ? o.Var.Equals(c.Var) && o.UMax == c.UMax && o.SMin == c.SMin : o.Var.Contains(c.Var) && o.UMin <= c.UMin && o.UMax >= c.UMax && o.SMin <= c.SMin && o.SMax >= c.SMax))
            return false;
        if (o.Id != 0 || c.Id != 0) return SameId(o.Id, c.Id, ids);
        return true;
    }

    /// <summary>Ids need not be equal, only consistently renamed (old id a always pairs with new id b).</summary>
    private static bool SameId(int oldId, int curId, Dictionary<int, int> ids)
    {
        if (oldId == 0) return curId == 0 || true;
        if (curId == 0) return false;
        if (ids.TryGetValue(oldId, out var mapped)) return mapped == curId;
        ids[oldId] = curId;
        return true;
    }
}
