using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Fully unrolls small loops with a compile-time trip count, as clang -O2 does. The verifier walks a
/// loop once per iteration (a compare, a branch and the induction update each time, and a state
/// check at the back edge); unrolled, only the body's useful instructions remain, and the now-constant
/// induction variable folds into load/store offsets. This matters for the kernel's processed-insns
/// budget more than for code size, so a budget bounds the code growth.
///
/// Shape handled (what the frontend and <see cref="CfgSimplification"/>'s loop rotation produce for
/// <c>for (int i = C0; i OP C1; i += K)</c> with a straight-line body): one block that branches back
/// to itself, whose condition compares a register <c>iv</c> with a constant, where <c>iv</c> is
/// defined exactly once in the block by <c>iv = iv ± K</c> and holds a constant on entry (its value at
/// the end of the chain of single-predecessor blocks before the loop). The IR is not SSA, so the
/// body is simply repeated trip-count times, registers unchanged, and the constant folding that
/// follows does the rest. Loops with branches inside their body: see LoopUnrolling.Regions.cs.
/// </summary>
public sealed partial class LoopUnrolling : IFunctionPass
{
    /// <summary>Unroll only when trips × body instructions stays within this (0 disables unrolling).</summary>
    public int Budget { get; }

    /// <summary>Longest loop unrolled, whatever its body size.</summary>
    public const int MaxTrips = 32;

    public LoopUnrolling(int budget) => Budget = budget;

    public string Name => "loop-unrolling";

    public bool Run(IrFunction f)
    {
        if (Budget <= 0) return false;
        bool changed = false;
        var preds = f.Predecessors();
        foreach (var b in f.Blocks.ToList()) // region unrolling adds blocks
        {
            if (!preds.ContainsKey(b)) continue;
            if (TryUnroll(f, b, preds) || TryUnrollRegion(f, b, preds)) { changed = true; preds = f.Predecessors(); }
        }
        return changed;
    }

    private bool TryUnroll(IrFunction f, BasicBlock b, Dictionary<BasicBlock, List<BasicBlock>> preds)
    {
        if (b.Terminator is not BranchInst br) return false;
        bool continueWhenTrue;
        if (br.IfTrue == b && br.IfFalse != b) continueWhenTrue = true;
        else if (br.IfFalse == b && br.IfTrue != b) continueWhenTrue = false;
        else return false;
        var exit = continueWhenTrue ? br.IfFalse : br.IfTrue;

        // iv OP constant (either side)
        VReg iv;
        long bound;
        bool ivOnLeft;
        if (br.Left.IsReg && br.Right.IsImm) { iv = br.Left.Reg!; bound = br.Right.Imm; ivOnLeft = true; }
        else if (br.Right.IsReg && br.Left.IsImm) { iv = br.Right.Reg!; bound = br.Left.Imm; ivOnLeft = false; }
        else return false;

        var body = b.Body.ToList();
        var defs = body.Where(i => i.Def == iv).ToList();
        if (defs.Count != 1 || defs[0] is not BinaryInst { Op: BinOp.Add or BinOp.Sub } step ||
            !step.Left.IsReg || step.Left.Reg != iv || !step.Right.IsImm) return false;

        var outside = preds[b].Where(p => p != b).ToList();
        if (outside.Count != 1) return false;
        if (EntryConstant(outside[0], iv, preds) is not { } start) return false;

        // Count the iterations: the body runs, then the (rotated) test decides.
        long v = start;
        int trips = 0;
        while (true)
        {
            trips++;
            if (trips > MaxTrips || (long)trips * body.Count > Budget) return false;
            v = Evaluator.Binary(step.Op, iv.Width, v, step.Right.Imm);
            bool cond = ivOnLeft ? Evaluator.Compare(br.Cond, br.Width, v, bound) : Evaluator.Compare(br.Cond, br.Width, bound, v);
            if (cond != continueWhenTrue) break;
        }

        // Registers each iteration defines before reading get fresh names in every copy but the last
        // (which keeps the names the code after the loop reads), so each copy's temporaries have one
        // definition and address folding and value numbering treat them like straight-line code.
        var local = IterationLocal(body);
        var unrolled = new List<Inst>(trips * body.Count + 1);
        for (int t = 0; t < trips; t++)
        {
            var rename = new Dictionary<VReg, VReg>();
            bool last = t == trips - 1;
            foreach (var inst in body)
            {
                var c = inst.Clone();
                if (!last)
                {
                    c.RewriteOperands(o => o.IsReg && rename.TryGetValue(o.Reg!, out var r) ? r : o);
                    if (c.Def is { } d && local.Contains(d))
                    {
                        var fresh = f.NewRegLike(d);
                        rename[d] = fresh;
                        c.RewriteDef(_ => fresh);
                    }
                }
                unrolled.Add(c);
            }
        }
        unrolled.Add(new JumpInst(exit) { Location = br.Location });
        b.Instructions.Clear();
        b.Instructions.AddRange(unrolled);
        return true;
    }

    /// <summary>Registers the body writes before it reads them: no value flows into them from the previous iteration.</summary>
    private static HashSet<VReg> IterationLocal(List<Inst> body)
    {
        var read = new HashSet<VReg>();
        var local = new HashSet<VReg>();
        foreach (var inst in body)
        {
            foreach (var u in inst.Uses) read.Add(u);
            if (inst.Def is { } d && !read.Contains(d)) local.Add(d);
        }
        return local;
    }

    /// <summary>
    /// The constant <paramref name="reg"/> holds when <paramref name="pre"/> ends, from constants and copies
    /// along the chain of single-predecessor blocks ending at <paramref name="pre"/> (at most 8 blocks back).
    /// </summary>
    private static long? EntryConstant(BasicBlock pre, VReg reg, Dictionary<BasicBlock, List<BasicBlock>> preds)
    {
        var chain = new List<BasicBlock> { pre };
        while (chain.Count < 8 && preds.TryGetValue(chain[chain.Count - 1], out var ps) && ps.Count == 1 && !chain.Contains(ps[0]))
            chain.Add(ps[0]);
        chain.Reverse();
        var known = new Dictionary<VReg, long>();
        foreach (var block in chain)
            foreach (var inst in block.Instructions)
            {
                if (inst.Def is not { } d) continue;
                long? value = inst switch
                {
                    ConstInst c => c.Value,
                    MoveInst { Src.IsImm: true } m => Evaluator.Normalize(m.Src.Imm, m.Dst.Width),
                    MoveInst { Src.IsReg: true } m when known.TryGetValue(m.Src.Reg!, out var s) => Evaluator.Normalize(s, m.Dst.Width),
                    _ => null,
                };
                if (value is { } x) known[d] = x; else known.Remove(d);
            }
        return known.TryGetValue(reg, out var r) ? r : null;
    }
}
