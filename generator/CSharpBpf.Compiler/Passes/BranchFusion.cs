using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// "c = cmp cond a, b; ...; br ne c, 0" (or eq c, 0 / ne c, 1 / eq c, 1) becomes one
/// "br cond a, b" (negated where needed) when c feeds only that branch and a, b are not
/// reassigned in between — what C# conditions lower to. Also folds "and x, 2^k; br ne _, 0"
/// into jset.
/// </summary>
public sealed class BranchFusion : IFunctionPass
{
    public string Name => "branch-fusion";

    public bool Run(IrFunction f)
    {
        var du = DefUse.Compute(f);
        bool changed = false;
        foreach (var b in f.Blocks)
        {
            if (b.Terminator is not BranchInst br || !br.Left.IsReg || !br.Right.IsImm) continue;
            var c = br.Left.Reg!;
            if (du.DefCount(c) != 1 || du.Uses(c) != 1 || du.Params.Contains(c)) continue;
            int at = b.Instructions.FindLastIndex(i => i.Def == c);
            if (at < 0) continue;
            var def = b.Instructions[at];
            long k = Evaluator.Normalize(br.Right.Imm, br.Width);
            bool isZeroTest = k == 0 && br.Cond is CmpOp.Ne or CmpOp.Eq;
            bool isOneTest = k == 1 && br.Cond is CmpOp.Ne or CmpOp.Eq;
            if (def is CompareInst cmp && (isZeroTest || isOneTest))
            {
                if (Reassigned(b, at, cmp.Left, cmp.Right)) continue;
                bool whenTrue = (br.Cond == CmpOp.Ne) == isZeroTest; // branch taken when cmp is true
                var cond = cmp.Cond;
                var ifTrue = br.IfTrue;
                var ifFalse = br.IfFalse;
                if (!whenTrue) (ifTrue, ifFalse) = (ifFalse, ifTrue);
                b.Instructions[b.Instructions.Count - 1] = new BranchInst(cond, cmp.Width, cmp.Left, cmp.Right, ifTrue, ifFalse) { Location = br.Location };
                b.Instructions.RemoveAt(at);
                changed = true;
            }
            else if (def is BinaryInst { Op: BinOp.And } and && isZeroTest && and.Dst.Width == br.Width && !Reassigned(b, at, and.Left, and.Right))
            {
                var (l, r) = and.Left.IsReg ? (and.Left, and.Right) : (and.Right, and.Left);
                if (!l.IsReg) continue;
                var ifTrue = br.Cond == CmpOp.Ne ? br.IfTrue : br.IfFalse;
                var ifFalse = br.Cond == CmpOp.Ne ? br.IfFalse : br.IfTrue;
                b.Instructions[b.Instructions.Count - 1] = new BranchInst(CmpOp.Set, br.Width, l, r, ifTrue, ifFalse) { Location = br.Location };
                b.Instructions.RemoveAt(at);
                changed = true;
            }
        }
        return changed;
    }

    private static bool Reassigned(BasicBlock b, int from, Operand x, Operand y)
    {
        for (int k = from + 1; k < b.Instructions.Count; k++)
        {
            var d = b.Instructions[k].Def;
            if (d is null) continue;
            if ((x.IsReg && x.Reg == d) || (y.IsReg && y.Reg == d)) return true;
        }
        return false;
    }
}
