using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Unrolling of small loops whose body has branches (<c>for (i = 0; i &lt; 4; i++) if (a[i] &gt; m) m = a[i];</c>).
/// Shape: a natural loop whose only back edge is from its latch to its header, where the latch ends in the
/// rotated exit test <c>iv OP constant</c> and is the only block leaving the loop, the header's only other
/// predecessor comes from outside, and <c>iv</c> is stepped once, in the latch, by <c>iv = iv ± K</c>.
/// The region's blocks are copied once per iteration (the original blocks are the first copy), each copy's
/// latch jumps to the next copy's header and the last one to the exit. Inside copy t, iv is the constant
/// v_t (v_t+1 after the step, which becomes <c>iv = v_t+1</c>), so bounds and offsets fold per copy; the
/// register still holds that value too, so an operand that must stay a register stays correct.
/// </summary>
public sealed partial class LoopUnrolling
{
    /// <summary>Most blocks a loop with internal branches may have to be unrolled.</summary>
    public const int MaxRegionBlocks = 8;

    private bool TryUnrollRegion(IrFunction f, BasicBlock latch, Dictionary<BasicBlock, List<BasicBlock>> preds)
    {
        if (latch.Terminator is not BranchInst br || br.IfTrue == br.IfFalse) return false;
        foreach (bool continueWhenTrue in new[] { true, false })
        {
            var header = continueWhenTrue ? br.IfTrue : br.IfFalse;
            var exit = continueWhenTrue ? br.IfFalse : br.IfTrue;
            if (header == latch) continue; // single-block loops: TryUnroll
            if (Region(f, header, latch, preds) is not { } region || region.Contains(exit)) continue;
            if (Plan(f, region, header, latch, br, continueWhenTrue, preds) is not { } plan) continue;
            Unroll(f, region, header, latch, exit, plan);
            return true;
        }
        return false;
    }

    private sealed record UnrollPlan(VReg Iv, BinaryInst Step, List<long> Values);

    /// <summary>The blocks of the natural loop latch → header (in function order), or null if it is not a small, single-entry, single-exit loop.</summary>
    private static List<BasicBlock>? Region(IrFunction f, BasicBlock header, BasicBlock latch, Dictionary<BasicBlock, List<BasicBlock>> preds)
    {
        var set = new HashSet<BasicBlock> { header, latch };
        var work = new Stack<BasicBlock>();
        work.Push(latch);
        while (work.Count > 0)
        {
            var b = work.Pop();
            if (b == header) continue;
            foreach (var p in preds[b])
                if (set.Add(p))
                {
                    if (set.Count > MaxRegionBlocks || p == f.Blocks[0]) return null;
                    work.Push(p);
                }
        }
        foreach (var b in set)
        {
            if (b != latch && b.Terminator is not (JumpInst or BranchInst)) return null; // return/unreachable inside
            if (b != latch && b.Successors.Any(s => !set.Contains(s))) return null;     // break or a second exit
            if (b != header && preds[b].Any(p => !set.Contains(p))) return null;        // a second entry
        }
        if (preds[header].Count(p => set.Contains(p)) != 1) return null;                 // one back edge (continue targets the latch)
        return f.Blocks.Where(set.Contains).ToList();
    }

    private UnrollPlan? Plan(IrFunction f, List<BasicBlock> region, BasicBlock header, BasicBlock latch, BranchInst br,
        bool continueWhenTrue, Dictionary<BasicBlock, List<BasicBlock>> preds)
    {
        VReg iv;
        long bound;
        bool ivOnLeft;
        if (br.Left.IsReg && br.Right.IsImm) { iv = br.Left.Reg!; bound = br.Right.Imm; ivOnLeft = true; }
        else if (br.Right.IsReg && br.Left.IsImm) { iv = br.Right.Reg!; bound = br.Left.Imm; ivOnLeft = false; }
        else return null;
        if (iv.IsPointer) return null;

        var defs = region.SelectMany(b => b.Instructions).Where(i => i.Def == iv).ToList();
        if (defs.Count != 1 || defs[0] is not BinaryInst { Op: BinOp.Add or BinOp.Sub } step ||
            !step.Left.IsReg || step.Left.Reg != iv || !step.Right.IsImm || !latch.Instructions.Contains(step)) return null;

        var outside = preds[header].Where(p => !region.Contains(p)).ToList();
        if (outside.Count != 1) return null;
        if (EntryConstant(outside[0], iv, preds) is not { } start) return null;

        int size = region.Sum(b => b.Instructions.Count);
        var values = new List<long> { start };
        long v = start;
        while (true)
        {
            int trips = values.Count;
            if (trips > MaxTrips || (long)trips * size > Budget) return null;
            v = Evaluator.Binary(step.Op, iv.Width, v, step.Right.Imm);
            if (v < int.MinValue || v > int.MaxValue) return null; // an immediate operand in every copy
            values.Add(v);
            bool cond = ivOnLeft ? Evaluator.Compare(br.Cond, br.Width, v, bound) : Evaluator.Compare(br.Cond, br.Width, bound, v);
            if (cond != continueWhenTrue) break;
        }
        return new UnrollPlan(iv, step, values); // Values[t] on entry to copy t; the last is iv after the loop
    }

    private static void Unroll(IrFunction f, List<BasicBlock> region, BasicBlock header, BasicBlock latch, BasicBlock exit, UnrollPlan plan)
    {
        int trips = plan.Values.Count - 1;
        // copies[t][i] = region[i] in iteration t; iteration 0 reuses the original blocks (cloned first, while pristine)
        var copies = new List<BasicBlock[]> { region.ToArray() };
        for (int t = 1; t < trips; t++)
        {
            var copy = region.Select(b => f.NewBlock(b.Name + ".unroll" + t)).ToArray();
            for (int i = 0; i < region.Count; i++)
                foreach (var inst in region[i].Instructions)
                {
                    var c = inst.Clone();
                    if (c is Terminator term)
                        for (int j = 0; j < region.Count; j++) term.ReplaceTarget(region[j], copy[j]);
                    copy[i].Instructions.Add(c);
                }
            copies.Add(copy);
        }
        int stepIndex = latch.Instructions.IndexOf(plan.Step);
        int latchIndex = region.IndexOf(latch), headerIndex = region.IndexOf(header);
        for (int t = 0; t < trips; t++)
        {
            long before = plan.Values[t], after = plan.Values[t + 1];
            for (int i = 0; i < region.Count; i++)
            {
                var insts = copies[t][i].Instructions;
                for (int k = 0; k < insts.Count; k++)
                {
                    bool isLatch = i == latchIndex;
                    if (isLatch && k == stepIndex)
                    {
                        insts[k] = new MoveInst(plan.Iv, Operand.Const(after)) { Location = insts[k].Location };
                        continue;
                    }
                    long value = isLatch && k > stepIndex ? after : before;
                    insts[k].RewriteOperands(o => o.IsReg && o.Reg == plan.Iv ? Operand.Const(value) : o);
                }
                if (i == latchIndex)
                {
                    var next = t + 1 < trips ? copies[t + 1][headerIndex] : exit;
                    insts[insts.Count - 1] = new JumpInst(next) { Location = insts[insts.Count - 1].Location };
                }
            }
        }
    }
}
