using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Removes register copies three ways:
/// (1) a never-reassigned d = mov s, with s never reassigned either, lets every use of d read s;
/// (2) inside a block, after d = mov s, uses of d read s until either is written again
///     (this handles C# locals assigned several times);
/// (3) t = op ...; x = mov t, with t used only by that move, becomes x = op ... when x is not
///     touched in between — the shape "x = x + 1" takes when lowered through a temporary.
/// Only same-width copies with the same pointer-ness are propagated.
/// </summary>
public sealed class CopyPropagation : IFunctionPass
{
    public string Name => "copy-propagation";

    public bool Run(IrFunction f)
    {
        bool changed = GlobalCopies(f);
        changed |= LocalCopies(f);
        changed |= Coalesce(f);
        return changed;
    }

    private static bool Compatible(VReg d, VReg s) => d.Width == s.Width && d.IsPointer == s.IsPointer;

    private static bool GlobalCopies(IrFunction f)
    {
        var du = DefUse.Compute(f);
        var replace = new Dictionary<VReg, VReg>();
        foreach (var kv in du.SingleDef)
            if (kv.Value is MoveInst { Src.IsReg: true } m && Compatible(m.Dst, m.Src.Reg!) && du.IsStable(m.Src.Reg!) && m.Src.Reg != m.Dst)
                replace[m.Dst] = m.Src.Reg!;
        if (replace.Count == 0) return false;
        VReg Resolve(VReg r)
        {
            int guard = 0;
            while (replace.TryGetValue(r, out var s) && guard++ < 64) r = s;
            return r;
        }
        bool changed = false;
        foreach (var i in f.AllInstructions)
        {
            i.RewriteOperands(o =>
            {
                if (o.IsReg && replace.ContainsKey(o.Reg!))
                {
                    changed = true;
                    return Resolve(o.Reg!);
                }
                return o;
            });
        }
        return changed;
    }

    private static bool LocalCopies(IrFunction f)
    {
        bool changed = false;
        foreach (var b in f.Blocks)
        {
            var avail = new Dictionary<VReg, VReg>(); // d -> s
            foreach (var i in b.Instructions)
            {
                if (avail.Count > 0)
                {
                    i.RewriteOperands(o =>
                    {
                        if (o.IsReg && avail.TryGetValue(o.Reg!, out var s))
                        {
                            changed = true;
                            return s;
                        }
                        return o;
                    });
                }
                if (i.Def is { } d)
                {
                    avail.Remove(d);
                    foreach (var k in avail.Where(kv => kv.Value == d).Select(kv => kv.Key).ToList()) avail.Remove(k);
                    if (i is MoveInst { Src.IsReg: true } m && m.Src.Reg != d && Compatible(d, m.Src.Reg!)) avail[d] = m.Src.Reg!;
                }
            }
        }
        return changed;
    }

    private static bool Coalesce(IrFunction f)
    {
        var du = DefUse.Compute(f);
        bool changed = false;
        foreach (var b in f.Blocks)
        {
            for (int j = 0; j < b.Instructions.Count; j++)
            {
                if (b.Instructions[j] is not MoveInst { Src.IsReg: true } mv) continue;
                var t = mv.Src.Reg!;
                var x = mv.Dst;
                if (t == x || !Compatible(x, t) || du.DefCount(t) != 1 || du.Uses(t) != 1 || du.Params.Contains(t)) continue;
                int i = j - 1;
                while (i >= 0 && b.Instructions[i].Def != t) i--;
                if (i < 0) continue;
                bool touched = false;
                for (int k = i + 1; k < j && !touched; k++)
                {
                    var mid = b.Instructions[k];
                    if (mid.Def == x || mid.Uses.Contains(x)) touched = true;
                }
                if (touched) continue;
                b.Instructions[i].RewriteDef(r => r == t ? x : r);
                b.Instructions.RemoveAt(j);
                j--;
                changed = true;
                du = DefUse.Compute(f);
            }
        }
        return changed;
    }
}
