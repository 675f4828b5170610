using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Linear-scan register allocation over r0-r9 with precise live ranges. Physical registers used
/// by the calling convention (r1-r5 arguments, r0 results, the r0-r5 clobber of every call)
/// are fixed ranges a virtual register may not overlap, so values live across a call end up in
/// r6-r9. Copies hint the allocator to reuse the same register, and copies that end up with
/// equal registers vanish. When no register is free, the cheaper side is spilled — the current
/// interval or the ones holding the best register — by spill weight (uses and definitions,
/// loops counting eight-fold, per unit of length). Spilled values get an 8-byte r10 slot and
/// allocation restarts with short reload/store temporaries in their place.
/// </summary>
public sealed class LinearScanAllocator
{
    private static readonly int[] Preference = { 1, 2, 3, 4, 5, 0, 6, 7, 8, 9 };
    private const int MaxRounds = 40;

    private readonly MFunction _mf;
    private readonly HashSet<int> _spillTemps = new();

    private LinearScanAllocator(MFunction mf) => _mf = mf;

    public static void Allocate(MFunction mf) => new LinearScanAllocator(mf).Run();

    private void Run()
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            var (intervals, fixedRanges) = BuildIntervals();
            var assignment = new Dictionary<int, int>();
            var spilled = Scan(intervals, fixedRanges, assignment);
            if (spilled.Count == 0)
            {
                Rewrite(assignment);
                Peephole.Run(_mf);
                FrameLayout.CheckLimit(_mf);
                return;
            }
            foreach (var v in spilled) SpillRewriter.Spill(_mf, v, FrameLayout.AddSpillSlot(_mf), _spillTemps);
            FrameLayout.CheckLimit(_mf);
        }
        throw new BackendException("register allocation did not converge: too many values live at once", _mf.Source.Location, _mf.Source.Name);
    }

    private (List<LiveInterval>, LiveInterval[]) BuildIntervals()
    {
        var lv = Liveness.Compute(_mf);
        var vint = new Dictionary<int, LiveInterval>();
        var fixedRanges = new LiveInterval[10];
        for (int r = 0; r < 10; r++) fixedRanges[r] = new LiveInterval(r);
        var occurrences = new Dictionary<int, double>();
        var loopBlocks = LoopBlocks();
        LiveInterval Get(int r)
        {
            if (MReg.IsPhysical(r)) return fixedRanges[r];
            return vint.TryGetValue(r, out var i) ? i : vint[r] = new LiveInterval(r);
        }

        int k = 0;
        foreach (var b in _mf.Layout)
        {
            var code = _mf.Code[b];
            int first = k;
            int last = k + Math.Max(code.Count, 1) - 1;
            int blockStart = 2 * first;
            int blockEnd = 2 * last + 1;
            double scale = loopBlocks.Contains(b) ? 8 : 1;
            // Backward walk: liveUntil[r] = the position up to which r is live below the cursor.
            var liveUntil = new Dictionary<int, int>();
            foreach (var r in lv.LiveOut[b]) liveUntil[r] = blockEnd;
            for (int j = code.Count - 1; j >= 0; j--)
            {
                int pos = first + j;
                var m = code[j];
                foreach (var d in m.Defs())
                {
                    if (d == MReg.FP) continue;
                    int end = liveUntil.TryGetValue(d, out var e) ? e : 2 * pos + 1; // dead definitions still occupy the register
                    Get(d).Add(2 * pos + 1, end);
                    liveUntil.Remove(d);
                    if (MReg.IsVirtual(d)) occurrences[d] = (occurrences.TryGetValue(d, out var o) ? o : 0) + scale;
                }
                foreach (var u in m.Uses())
                {
                    if (u == MReg.FP) continue;
                    if (!liveUntil.ContainsKey(u)) liveUntil[u] = 2 * pos;
                    if (MReg.IsVirtual(u)) occurrences[u] = (occurrences.TryGetValue(u, out var o) ? o : 0) + scale;
                }
            }
            foreach (var kv in liveUntil) Get(kv.Key).Add(blockStart - 1, kv.Value); // live on entry
            k = last + 1;
        }
        foreach (var iv in vint.Values)
        {
            iv.Unspillable = _spillTemps.Contains(iv.Reg);
            iv.Weight = (occurrences.TryGetValue(iv.Reg, out var o) ? o : 1) / Math.Max(1, iv.Length);
        }
        return (vint.Values.OrderBy(i => i.Start).ThenBy(i => i.Reg).ToList(), fixedRanges);
    }

    /// <summary>Blocks inside some loop: between the target and the source of a backward jump in layout order.</summary>
    private HashSet<BasicBlock> LoopBlocks()
    {
        var index = new Dictionary<BasicBlock, int>();
        for (int i = 0; i < _mf.Layout.Count; i++) index[_mf.Layout[i]] = i;
        var result = new HashSet<BasicBlock>();
        for (int i = 0; i < _mf.Layout.Count; i++)
            foreach (var s in _mf.Layout[i].Successors)
                if (index.TryGetValue(s, out var t) && t <= i)
                    for (int x = t; x <= i; x++) result.Add(_mf.Layout[x]);
        return result;
    }

    private Dictionary<int, List<int>> CopyHints()
    {
        var hints = new Dictionary<int, List<int>>();
        void Add(int a, int b)
        {
            if (!hints.TryGetValue(a, out var l)) hints[a] = l = new List<int>();
            l.Add(b);
        }
        foreach (var b in _mf.Layout)
            foreach (var m in _mf.Code[b])
                if (m.IsCopy && m.Dst != m.Src)
                {
                    Add(m.Dst, m.Src);
                    Add(m.Src, m.Dst);
                }
        return hints;
    }

    private List<int> Scan(List<LiveInterval> intervals, LiveInterval[] fixedRanges, Dictionary<int, int> assignment)
    {
        var hints = CopyHints();
        var byInterval = intervals.ToDictionary(i => i.Reg);
        var byReg = new List<LiveInterval>[10];
        for (int r = 0; r < 10; r++) byReg[r] = new List<LiveInterval>();
        var spilled = new List<int>();

        bool Free(int reg, LiveInterval iv) => !fixedRanges[reg].Overlaps(iv) && byReg[reg].All(o => !o.Overlaps(iv));

        foreach (var iv in intervals)
        {
            int chosen = -1;
            if (hints.TryGetValue(iv.Reg, out var hs))
            {
                foreach (var h in hs)
                {
                    int cand = MReg.IsPhysical(h) ? h : assignment.TryGetValue(h, out var hr) ? hr : -1;
                    if (cand >= 0 && cand <= 9 && Free(cand, iv)) { chosen = cand; break; }
                }
            }
            if (chosen < 0 && hs is not null)
            {
                // A copy partner not allocated yet: pick a register that suits both, so the copy
                // between them disappears (e.g. a value whose copy lives across a call: r6-r9 now).
                foreach (var h in hs)
                {
                    if (!MReg.IsVirtual(h) || assignment.ContainsKey(h) || !byInterval.TryGetValue(h, out var partner)) continue;
                    var both = LiveInterval.Union(iv, partner);
                    foreach (var r in Preference)
                        if (Free(r, both)) { chosen = r; break; }
                    if (chosen >= 0) break;
                }
            }
            if (chosen < 0)
                foreach (var r in Preference)
                    if (Free(r, iv)) { chosen = r; break; }
            if (chosen >= 0)
            {
                assignment[iv.Reg] = chosen;
                byReg[chosen].Add(iv);
                continue;
            }

            // No register free: find the register whose conflicting occupants are cheapest to evict.
            int best = -1;
            double bestCost = double.MaxValue;
            foreach (var r in Preference)
            {
                if (fixedRanges[r].Overlaps(iv)) continue;
                double cost = 0;
                foreach (var o in byReg[r])
                {
                    if (!o.Overlaps(iv)) continue;
                    if (o.Unspillable) { cost = double.MaxValue; break; }
                    cost += o.Weight;
                }
                if (cost < bestCost) { bestCost = cost; best = r; }
            }
            if (best >= 0 && (iv.Unspillable || bestCost < iv.Weight))
            {
                foreach (var o in byReg[best].Where(o => o.Overlaps(iv)).ToList())
                {
                    byReg[best].Remove(o);
                    assignment.Remove(o.Reg);
                    spilled.Add(o.Reg);
                }
                assignment[iv.Reg] = best;
                byReg[best].Add(iv);
            }
            else if (!iv.Unspillable)
            {
                spilled.Add(iv.Reg);
            }
            else
            {
                throw new BackendException("too many values live at once around one instruction", _mf.Source.Location, _mf.Source.Name);
            }
        }
        return spilled;
    }

    private void Rewrite(Dictionary<int, int> assignment)
    {
        int Map(int r) => MReg.IsVirtual(r) ? assignment.TryGetValue(r, out var p) ? p : throw new InvalidOperationException($"unallocated {MReg.Name(r)}") : r;
        foreach (var b in _mf.Layout)
        {
            var code = _mf.Code[b];
            foreach (var m in code)
            {
                if (m.Dst != MReg.None) m.Dst = Map(m.Dst);
                if (m.Src != MReg.None && m.UsesRegisterSrc()) m.Src = Map(m.Src);
            }
            code.RemoveAll(m => m.IsCopy && m.Dst == m.Src);
        }
    }
}
