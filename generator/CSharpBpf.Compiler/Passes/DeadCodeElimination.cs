using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Deletes instructions without side effects whose result nobody reads (iterated, so chains
/// die together), self-moves, and call results nobody reads (the call itself stays).
/// Loads are removable: a load's only effect is its value (a faulting access is a verifier
/// error, not a run-time behaviour).
/// </summary>
public sealed class DeadCodeElimination : IFunctionPass
{
    public string Name => "dead-code";

    public bool Run(IrFunction f)
    {
        bool any = false;
        bool changed = true;
        while (changed)
        {
            changed = false;
            var used = new HashSet<VReg>();
            foreach (var i in f.AllInstructions)
                foreach (var u in i.Uses) used.Add(u);
            foreach (var b in f.Blocks)
            {
                for (int k = b.Instructions.Count - 1; k >= 0; k--)
                {
                    var i = b.Instructions[k];
                    if (i is MoveInst { Src.IsReg: true } m && m.Src.Reg == m.Dst)
                    {
                        b.Instructions.RemoveAt(k);
                        changed = true;
                        continue;
                    }
                    if (i.Def is not { } d || used.Contains(d)) continue;
                    if (i is CallInst c) { c.Dst = null; changed = true; continue; }
                    if (i is AtomicInst a) { if (a.Op is not (AtomicRmwOp.CmpXchg or AtomicRmwOp.Xchg)) { a.Dst = null; a.Op = NonFetching(a.Op); changed = true; } continue; }
                    if (i.HasSideEffects) continue;
                    b.Instructions.RemoveAt(k);
                    changed = true;
                }
            }
            any |= changed;
        }
        any |= RemoveDeadAssignments(f);
        return any;
    }

    /// <summary>
    /// A register may be read somewhere and still be dead after a given assignment (a C# local
    /// reassigned before the old value is read again): liveness finds those assignments.
    /// </summary>
    private static bool RemoveDeadAssignments(IrFunction f)
    {
        var lv = IrLiveness.Compute(f);
        bool changed = false;
        foreach (var b in f.Blocks)
        {
            var live = new HashSet<VReg>();
            foreach (var s in b.Successors)
                if (lv.LiveIn.TryGetValue(s, out var sin)) live.UnionWith(sin);
            for (int k = b.Instructions.Count - 1; k >= 0; k--)
            {
                var i = b.Instructions[k];
                if (i.Def is { } d && !i.HasSideEffects && !live.Contains(d))
                {
                    b.Instructions.RemoveAt(k);
                    changed = true;
                    continue;
                }
                if (i.Def is { } dd) live.Remove(dd);
                foreach (var u in i.Uses) live.Add(u);
            }
        }
        return changed;
    }

    private static AtomicRmwOp NonFetching(AtomicRmwOp op) => op switch
    {
        AtomicRmwOp.FetchAdd => AtomicRmwOp.Add,
        AtomicRmwOp.FetchOr => AtomicRmwOp.Or,
        AtomicRmwOp.FetchAnd => AtomicRmwOp.And,
        AtomicRmwOp.FetchXor => AtomicRmwOp.Xor,
        _ => op,
    };
}
