using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>Definition and use counts per register, and each single definition. Parameters count
/// as a definition (they are written on entry).</summary>
public sealed class DefUse
{
    public Dictionary<VReg, int> Defs { get; } = new();
    public Dictionary<VReg, int> UseCount { get; } = new();
    public Dictionary<VReg, Inst> SingleDef { get; } = new();
    public HashSet<VReg> Params { get; } = new();

    public static DefUse Compute(IrFunction f)
    {
        var du = new DefUse();
        foreach (var p in f.Params)
        {
            du.Params.Add(p.Reg);
            du.Defs[p.Reg] = 1;
        }
        foreach (var i in f.AllInstructions)
        {
            if (i.Def is { } d)
            {
                du.Defs[d] = du.Defs.TryGetValue(d, out var n) ? n + 1 : 1;
                du.SingleDef[d] = i;
            }
            foreach (var u in i.Uses) du.UseCount[u] = du.UseCount.TryGetValue(u, out var n) ? n + 1 : 1;
        }
        foreach (var kv in du.Defs)
            if (kv.Value != 1 || du.Params.Contains(kv.Key)) du.SingleDef.Remove(kv.Key);
        return du;
    }

    public int DefCount(VReg r) => Defs.TryGetValue(r, out var n) ? n : 0;
    public int Uses(VReg r) => UseCount.TryGetValue(r, out var n) ? n : 0;

    /// <summary>Never reassigned after its (single) definition or parameter entry.</summary>
    public bool IsStable(VReg r) => DefCount(r) <= 1;
}
