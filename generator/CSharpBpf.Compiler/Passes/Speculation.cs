using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// If-conversion of the cheapest kind: when a branch leads to a block that only sets one
/// register ("d = constant or copy; jmp J") and has no other predecessor, and d is dead on the
/// other way out, the assignment moves above the branch and the branch goes straight to J.
/// "x = c ? 1 : 0" then costs three instructions and an early "return 1" one jump, as in clang.
/// </summary>
public sealed class Speculation : IFunctionPass
{
    public string Name => "speculation";

    public bool Run(IrFunction f)
    {
        bool changed = false;
        var preds = f.Predecessors();
        IrLiveness? lv = null;
        foreach (var a in f.Blocks)
        {
            if (a.Terminator is not BranchInst br || br.IfTrue == br.IfFalse) continue;
            // Prefer hoisting a register copy: it usually coalesces away, leaving the constant arm behind the branch.
            var sides = new[] { (br.IfTrue, br.IfFalse), (br.IfFalse, br.IfTrue) }
                .OrderBy(p => p.Item1.Instructions.Count == 2 && p.Item1.Instructions[0] is MoveInst { Src.IsReg: true } ? 0 : 1).ToArray();
            foreach (var (side, other) in sides)
            {
                if (side == a || preds[side].Count != 1 || side.Instructions.Count != 2) continue;
                if (side.Instructions[1] is not JumpInst j || j.Target == side) continue;
                var set = side.Instructions[0];
                if (set is not (ConstInst or MoveInst { Src.IsImm: true } or MoveInst)) continue;
                var d = set.Def!;
                if (br.Operands.Any(o => o.IsReg && o.Reg == d)) continue;
                if (set is MoveInst { Src.IsReg: true } mv && mv.Src.Reg == d) continue;
                lv ??= IrLiveness.Compute(f);
                if (lv.LiveIn[other].Contains(d)) continue;
                a.Instructions.Insert(a.Instructions.Count - 1, set);
                side.Instructions.RemoveAt(0);
                br.ReplaceTarget(side, j.Target);
                changed = true;
                break;
            }
            if (changed) break; // CFG facts changed; the pipeline runs this pass again
        }
        return changed;
    }
}
