using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Turns each remaining compare-to-register (one branch fusion could not fold into a branch)
/// into "d = 1; if (cond) goto join; d = 0; join:" — three instructions, as clang emits.
/// Runs just before instruction selection, which only knows conditional branches.
/// </summary>
public sealed class CompareLowering : IFunctionPass
{
    public string Name => "compare-lowering";

    public bool Run(IrFunction f)
    {
        bool changed = false;
        for (int bi = 0; bi < f.Blocks.Count; bi++)
        {
            var b = f.Blocks[bi];
            int idx = b.Instructions.FindIndex(i => i is CompareInst);
            if (idx < 0) continue;
            var cmp = (CompareInst)b.Instructions[idx];
            var setFalse = f.NewBlock("cmp.false");
            var join = f.NewBlock(b.Name.Length > 0 ? b.Name + ".cont" : "cmp.join");
            f.Blocks.Remove(setFalse);
            f.Blocks.Remove(join);
            f.Blocks.Insert(bi + 1, setFalse);
            f.Blocks.Insert(bi + 2, join);

            join.Instructions.AddRange(b.Instructions.Skip(idx + 1));
            b.Instructions.RemoveRange(idx, b.Instructions.Count - idx);
            bool dstIsOperand = cmp.Operands.Any(o => o.IsReg && o.Reg == cmp.Dst);
            var d = dstIsOperand ? f.NewRegLike(cmp.Dst) : cmp.Dst;
            b.Instructions.Add(new ConstInst(d, 1) { Location = cmp.Location });
            b.Instructions.Add(new BranchInst(cmp.Cond, cmp.Width, cmp.Left, cmp.Right, join, setFalse) { Location = cmp.Location });
            setFalse.Instructions.Add(new ConstInst(d, 0) { Location = cmp.Location });
            setFalse.Instructions.Add(new JumpInst(join) { Location = cmp.Location });
            if (dstIsOperand) join.Instructions.Insert(0, new MoveInst(cmp.Dst, d) { Location = cmp.Location });
            changed = true;
            // The rest of the block moved to join, which the loop visits next.
        }
        return changed;
    }
}
