using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>Registers live on entry to each block (backward data flow over the IR CFG).</summary>
public sealed class IrLiveness
{
    public Dictionary<BasicBlock, HashSet<VReg>> LiveIn { get; } = new();

    public static IrLiveness Compute(IrFunction f)
    {
        var lv = new IrLiveness();
        var gen = new Dictionary<BasicBlock, HashSet<VReg>>();
        var kill = new Dictionary<BasicBlock, HashSet<VReg>>();
        foreach (var b in f.Blocks)
        {
            var g = new HashSet<VReg>();
            var k = new HashSet<VReg>();
            foreach (var i in b.Instructions)
            {
                foreach (var u in i.Uses) if (!k.Contains(u)) g.Add(u);
                if (i.Def is { } d) k.Add(d);
            }
            gen[b] = g;
            kill[b] = k;
            lv.LiveIn[b] = new HashSet<VReg>(g);
        }
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int i = f.Blocks.Count - 1; i >= 0; i--)
            {
                var b = f.Blocks[i];
                var inSet = lv.LiveIn[b];
                foreach (var s in b.Successors)
                {
                    if (!lv.LiveIn.TryGetValue(s, out var sin)) continue;
                    foreach (var r in sin)
                        if (!kill[b].Contains(r) && inSet.Add(r)) changed = true;
                }
            }
        }
        return lv;
    }
}
