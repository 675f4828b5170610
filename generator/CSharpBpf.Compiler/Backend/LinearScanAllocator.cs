using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Linear-scan register allocation over r0-r9. Each virtual register gets one interval (the hull
/// of the positions where it is live); physical registers used by the calling convention
/// (r1-r5 arguments, r0 results, the r0-r5 clobber of every call) are fixed segments a virtual
/// register may not overlap, so values live across a call end up in r6-r9. Copies hint the
/// allocator to reuse the same register, and copies that end up with equal registers vanish.
/// When registers run out, the interval reaching furthest is spilled to an 8-byte r10 slot and
/// allocation restarts with short reload/store temporaries in its place.
/// Positions: instruction k reads at 2k and writes at 2k+1.
/// </summary>
public sealed class LinearScanAllocator
{
    private static readonly int[] Preference = { 1, 2, 3, 4, 5, 0, 6, 7, 8, 9 };
    private const int MaxRounds = 32;

    private readonly MFunction _mf;
    private readonly HashSet<int> _spillTemps = new();

    private LinearScanAllocator(MFunction mf) => _mf = mf;

    public static void Allocate(MFunction mf) => new LinearScanAllocator(mf).Run();

    private void Run()
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            var (intervals, fixedSegs) = BuildIntervals();
            var assignment = new Dictionary<int, int>();
            var spilled = new List<int>();
            Scan(intervals, fixedSegs, assignment, spilled);
            if (spilled.Count == 0)
            {
                Rewrite(assignment);
                FrameLayout.CheckLimit(_mf);
                return;
            }
            foreach (var v in spilled) Spill(v, FrameLayout.AddSpillSlot(_mf));
            FrameLayout.CheckLimit(_mf);
        }
        throw new BackendException("register allocation did not converge: too many values live at once", _mf.Source.Location, _mf.Source.Name);
    }

    private sealed class Interval
    {
        public int Reg;
        public int Start = int.MaxValue;
        public int End = int.MinValue;
        public void Cover(int p)
        {
            if (p < Start) Start = p;
            if (p > End) End = p;
        }
    }

    private (List<Interval>, Dictionary<int, List<(int a, int b)>>) BuildIntervals()
    {
        var lv = Liveness.Compute(_mf);
        var vint = new Dictionary<int, Interval>();
        var fixedSegs = new Dictionary<int, List<(int, int)>>();
        for (int r = 0; r <= 9; r++) fixedSegs[r] = new List<(int, int)>();
        Interval V(int r) => vint.TryGetValue(r, out var i) ? i : vint[r] = new Interval { Reg = r };

        int k = 0;
        foreach (var b in _mf.Layout)
        {
            var code = _mf.Code[b];
            int first = k;
            int last = k + Math.Max(code.Count, 1) - 1;
            int blockStart = 2 * first;
            int blockEnd = 2 * last + 1;
            var physEnd = new Dictionary<int, int>();
            foreach (var r in lv.LiveOut[b])
            {
                if (MReg.IsVirtual(r)) V(r).Cover(blockEnd);
                else physEnd[r] = blockEnd;
            }
            foreach (var r in lv.LiveIn[b])
                if (MReg.IsVirtual(r)) V(r).Cover(blockStart);
            for (int j = code.Count - 1; j >= 0; j--)
            {
                int pos = first + j;
                var m = code[j];
                foreach (var d in m.Defs())
                {
                    if (MReg.IsVirtual(d)) V(d).Cover(2 * pos + 1);
                    else if (d != MReg.FP)
                    {
                        int end = physEnd.TryGetValue(d, out var e) ? e : 2 * pos + 1;
                        fixedSegs[d].Add((2 * pos + 1, end));
                        physEnd.Remove(d);
                    }
                }
                foreach (var u in m.Uses())
                {
                    if (MReg.IsVirtual(u)) V(u).Cover(2 * pos);
                    else if (u != MReg.FP && !physEnd.ContainsKey(u)) physEnd[u] = 2 * pos;
                }
            }
            foreach (var kv in physEnd) fixedSegs[kv.Key].Add((blockStart - 1, kv.Value)); // live on entry (parameters)
            k = last + 1;
        }
        return (vint.Values.OrderBy(i => i.Start).ThenBy(i => i.Reg).ToList(), fixedSegs);
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

    private void Scan(List<Interval> intervals, Dictionary<int, List<(int a, int b)>> fixedSegs, Dictionary<int, int> assignment, List<int> spilled)
    {
        var hints = CopyHints();
        var active = new List<(Interval iv, int reg)>();
        bool Free(int reg, Interval iv)
        {
            foreach (var (ai, ar) in active) if (ar == reg && ai.End >= iv.Start) return false;
            foreach (var (a, b) in fixedSegs[reg]) if (iv.Start <= b && a <= iv.End) return false;
            return true;
        }

        foreach (var iv in intervals)
        {
            active.RemoveAll(x => x.iv.End < iv.Start);
            int chosen = -1;
            if (hints.TryGetValue(iv.Reg, out var hs))
            {
                foreach (var h in hs)
                {
                    int cand = MReg.IsPhysical(h) ? h : assignment.TryGetValue(h, out var hr) ? hr : -1;
                    if (cand >= 0 && cand <= 9 && Free(cand, iv)) { chosen = cand; break; }
                }
            }
            if (chosen < 0)
                foreach (var r in Preference)
                    if (Free(r, iv)) { chosen = r; break; }
            if (chosen >= 0)
            {
                assignment[iv.Reg] = chosen;
                active.Add((iv, chosen));
                continue;
            }
            // Out of registers: spill whichever of the current and the active intervals reaches
            // furthest, unless it is a reload temporary (those must live in registers).
            var victim = active.Where(a => !_spillTemps.Contains(a.iv.Reg) && Free2(a.reg, iv, a.iv))
                               .OrderByDescending(a => a.iv.End).FirstOrDefault();
            if (victim.iv is not null && (victim.iv.End > iv.End || _spillTemps.Contains(iv.Reg)))
            {
                active.Remove(victim);
                assignment.Remove(victim.iv.Reg);
                spilled.Add(victim.iv.Reg);
                assignment[iv.Reg] = victim.reg;
                active.Add((iv, victim.reg));
            }
            else if (!_spillTemps.Contains(iv.Reg))
            {
                spilled.Add(iv.Reg);
            }
            else
            {
                throw new BackendException("too many values live at once around one instruction (a call with five arguments and pinned registers?)", _mf.Source.Location, _mf.Source.Name);
            }
        }

        // Would iv fit in reg if the active interval holding it went to memory?
        bool Free2(int reg, Interval iv, Interval holder)
        {
            foreach (var (ai, ar) in active) if (ar == reg && ai != holder && ai.End >= iv.Start) return false;
            foreach (var (a, b) in fixedSegs[reg]) if (iv.Start <= b && a <= iv.End) return false;
            return true;
        }
    }

    /// <summary>Replaces <paramref name="v"/> by reload/store temporaries around each instruction touching it.</summary>
    private void Spill(int v, short offset)
    {
        foreach (var b in _mf.Layout)
        {
            var code = _mf.Code[b];
            var result = new List<MInst>(code.Count + 4);
            foreach (var m in code)
            {
                bool uses = m.Uses().Contains(v);
                bool defs = m.Defs().Contains(v);
                if (!uses && !defs) { result.Add(m); continue; }
                int t = _mf.NewVirtual();
                _spillTemps.Add(t);
                if (uses)
                    result.Add(new MInst { Opcode = (byte)((byte)InstructionClass.Ldx | (byte)MemSize.DW | (byte)MemMode.Mem), Dst = t, Src = MReg.FP, Off = offset, Location = m.Location });
                if (m.Dst == v) m.Dst = t;
                if (m.Src == v) m.Src = t;
                result.Add(m);
                if (defs)
                    result.Add(new MInst { Opcode = (byte)((byte)InstructionClass.Stx | (byte)MemSize.DW | (byte)MemMode.Mem), Dst = MReg.FP, Src = t, Off = offset, Location = m.Location });
            }
            code.Clear();
            code.AddRange(result);
        }
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
