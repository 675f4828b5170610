using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// Live registers (virtual and physical, r10 excluded) at block boundaries of a machine
/// function, by the usual backward data-flow iteration. Successors come from the IR blocks'
/// terminators, which instruction selection keeps as the machine CFG.
/// </summary>
public sealed class Liveness
{
    public Dictionary<BasicBlock, HashSet<int>> LiveIn { get; } = new();
    public Dictionary<BasicBlock, HashSet<int>> LiveOut { get; } = new();

    public static Liveness Compute(MFunction mf)
    {
        var lv = new Liveness();
        var gen = new Dictionary<BasicBlock, HashSet<int>>();
        var kill = new Dictionary<BasicBlock, HashSet<int>>();
        foreach (var b in mf.Layout)
        {
            var g = new HashSet<int>();
            var k = new HashSet<int>();
            foreach (var m in mf.Code[b])
            {
                foreach (var u in m.Uses()) if (u != MReg.FP && !k.Contains(u)) g.Add(u);
                foreach (var d in m.Defs()) k.Add(d);
            }
            gen[b] = g;
            kill[b] = k;
            lv.LiveIn[b] = new HashSet<int>(g);
            lv.LiveOut[b] = new HashSet<int>();
        }
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int i = mf.Layout.Count - 1; i >= 0; i--)
            {
                var b = mf.Layout[i];
                var outSet = lv.LiveOut[b];
                foreach (var s in b.Successors)
                    if (lv.LiveIn.TryGetValue(s, out var sin))
                        foreach (var r in sin)
                            if (outSet.Add(r)) changed = true;
                var inSet = lv.LiveIn[b];
                foreach (var r in outSet)
                    if (!kill[b].Contains(r) && inSet.Add(r)) changed = true;
            }
        }
        return lv;
    }
}
