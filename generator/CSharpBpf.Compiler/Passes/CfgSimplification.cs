using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Cleans the control-flow graph: drops unreachable blocks, threads jumps through blocks that
/// only jump, turns two-way branches to one target into jumps, merges a block into its only
/// predecessor when that predecessor jumps straight to it, and orders blocks so each block's
/// likely successor follows it (fall-through saves a ja).
/// </summary>
public sealed class CfgSimplification : IFunctionPass
{
    public string Name => "cfg-simplification";

    public bool Run(IrFunction f)
    {
        bool changed = RemoveUnreachable(f);
        changed |= ThreadJumps(f);
        changed |= RemoveUnreachable(f); // blocks bypassed by threading must not count as predecessors
        changed |= MergeBlocks(f);
        changed |= RemoveUnreachable(f);
        changed |= Reorder(f);
        return changed;
    }

    private static bool RemoveUnreachable(IrFunction f)
    {
        var seen = new HashSet<BasicBlock>();
        var stack = new Stack<BasicBlock>();
        stack.Push(f.Entry);
        while (stack.Count > 0)
        {
            var b = stack.Pop();
            if (!seen.Add(b)) continue;
            foreach (var s in b.Successors) stack.Push(s);
        }
        return f.Blocks.RemoveAll(b => !seen.Contains(b)) > 0;
    }

    private static bool ThreadJumps(IrFunction f)
    {
        bool changed = false;
        var loopHeaders = LoopHeaders(f);
        foreach (var b in f.Blocks)
        {
            if (b.Terminator is not Terminator t) continue;
            foreach (var s in t.Successors.Distinct().ToList())
            {
                var final = Forward(s);
                if (final != s)
                {
                    t.ReplaceTarget(s, final);
                    changed = true;
                }
            }
            // A jump to a block that is nothing but a conditional branch takes the branch itself:
            // loops come out rotated (the test at the bottom) and a known entry value folds it.
            if (t is JumpInst jump && jump.Target != b && loopHeaders.Contains(jump.Target) &&
                jump.Target.Instructions.Count == 1 && jump.Target.Terminator is BranchInst tb &&
                tb.IfTrue != jump.Target && tb.IfFalse != jump.Target)
            {
                var copy = (BranchInst)tb.Clone();
                copy.Location = tb.Location;
                b.Instructions[b.Instructions.Count - 1] = copy;
                changed = true;
                continue;
            }
            if (t is BranchInst br && br.IfTrue == br.IfFalse)
            {
                b.Instructions[b.Instructions.Count - 1] = new JumpInst(br.IfTrue) { Location = br.Location };
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>Blocks entered by a back edge (a jump from a block that the header reaches).</summary>
    private static HashSet<BasicBlock> LoopHeaders(IrFunction f)
    {
        var headers = new HashSet<BasicBlock>();
        var state = new Dictionary<BasicBlock, int>(); // 1 = on the DFS stack, 2 = done
        var stack = new Stack<(BasicBlock b, int next)>();
        stack.Push((f.Entry, 0));
        state[f.Entry] = 1;
        while (stack.Count > 0)
        {
            var (b, next) = stack.Pop();
            var succ = b.Successors;
            if (next < succ.Count)
            {
                stack.Push((b, next + 1));
                var s = succ[next];
                if (!state.TryGetValue(s, out var st)) { state[s] = 1; stack.Push((s, 0)); }
                else if (st == 1) headers.Add(s);
            }
            else state[b] = 2;
        }
        return headers;
    }

    /// <summary>Follows chains of blocks holding nothing but a jump (stopping at cycles).</summary>
    private static BasicBlock Forward(BasicBlock b)
    {
        var seen = new HashSet<BasicBlock>();
        while (b.Instructions.Count == 1 && b.Terminator is JumpInst j && seen.Add(b)) b = j.Target;
        return b;
    }

    private static bool MergeBlocks(IrFunction f)
    {
        bool changed = false;
        bool again = true;
        while (again)
        {
            again = false;
            var preds = f.Predecessors();
            foreach (var b in f.Blocks)
            {
                if (b.Terminator is not JumpInst j) continue;
                var s = j.Target;
                if (s == b || s == f.Entry || preds[s].Count != 1) continue;
                b.Instructions.RemoveAt(b.Instructions.Count - 1);
                b.Instructions.AddRange(s.Instructions);
                s.Instructions.Clear();
                f.Blocks.Remove(s);
                again = changed = true;
                break;
            }
        }
        return changed;
    }

    /// <summary>
    /// Greedy chains: after a block comes the successor only it reaches (the "then" part of an
    /// if, a loop body), else its jump target or false branch, so most edges fall through.
    /// </summary>
    private static bool Reorder(IrFunction f)
    {
        var preds = f.Predecessors();
        var placed = new HashSet<BasicBlock>();
        var order = new List<BasicBlock>();
        while (order.Count < f.Blocks.Count)
        {
            BasicBlock? b = f.Blocks.First(x => !placed.Contains(x));
            while (b is not null && placed.Add(b))
            {
                order.Add(b);
                b = Next(b, placed, preds);
            }
        }
        if (order.SequenceEqual(f.Blocks)) return false;
        f.Blocks.Clear();
        f.Blocks.AddRange(order);
        return true;
    }

    private static BasicBlock? Next(BasicBlock b, HashSet<BasicBlock> placed, Dictionary<BasicBlock, List<BasicBlock>> preds)
    {
        switch (b.Terminator)
        {
            case JumpInst j:
                return placed.Contains(j.Target) ? null : j.Target;
            case BranchInst br:
            {
                bool t = !placed.Contains(br.IfTrue), e = !placed.Contains(br.IfFalse);
                if (t && preds[br.IfTrue].Count == 1 && !(e && preds[br.IfFalse].Count == 1)) return br.IfTrue;
                if (e) return br.IfFalse;
                return t ? br.IfTrue : null;
            }
            default:
                return null;
        }
    }
}
