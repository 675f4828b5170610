using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Inlines calls to small static subprograms (at most <c>threshold</c> instructions, or marked
/// <see cref="InlineHint.Always"/>; never those marked Never, nor [Global] functions, which the
/// verifier checks on their own and freplace may replace). The callee's blocks are cloned into
/// the caller with fresh registers and frame slots; parameters become copies of the arguments
/// and each return a copy into the call's result and a jump to the code after the call.
/// Subprograms no longer called are removed from the module.
/// </summary>
public sealed class Inlining
{
    private readonly int _threshold;

    public Inlining(int threshold) => _threshold = threshold;

    public bool Run(IrModule module)
    {
        bool any = false;
        for (int round = 0; round < 8; round++)
        {
            bool changed = false;
            foreach (var caller in module.Definitions.ToList())
            {
                for (int bi = 0; bi < caller.Blocks.Count; bi++)
                {
                    var b = caller.Blocks[bi];
                    int idx = b.Instructions.FindIndex(i => i is CallInst c && ShouldInline(caller, c.Callee));
                    if (idx < 0) continue;
                    InlineAt(caller, b, idx);
                    changed = true;
                }
            }
            if (!changed) break;
            any = true;
        }
        if (any) RemoveUncalled(module);
        return any;
    }

    private bool ShouldInline(IrFunction caller, IrFunction callee)
    {
        if (callee.Kind != FunctionKind.Subprogram || callee == caller || callee.Inline == InlineHint.Never) return false;
        if (callee.AllInstructions.Any(i => i is CallInst c && c.Callee.HasBody)) return false; // inline leaves first
        if (callee.AllInstructions.Any(i => i is FuncAddrInst)) return false;
        if (callee.Inline == InlineHint.Always) return true;
        int size = callee.AllInstructions.Count();
        if (size > _threshold) return false;
        // Copies of a callee that calls helpers cost more than the call: inline it everywhere only
        // when it is tiny or called once by this caller (the UdpFilter sample inlined a map-counting helper 5x).
        bool callsHelpers = callee.AllInstructions.Any(i => i is CallInst);
        // Counted per caller: each program gets its own copy of a subprogram from the loader anyway,
        // so one call in each of several programs still inlines.
        return !callsHelpers || size <= 8 || CallSites(caller, callee) <= 1;
    }

    private static int CallSites(IrFunction caller, IrFunction callee) =>
        caller.AllInstructions.Count(i => i is CallInst c && c.Callee == callee);

    private static void InlineAt(IrFunction caller, BasicBlock b, int idx)
    {
        var call = (CallInst)b.Instructions[idx];
        var callee = call.Callee;
        int at = caller.Blocks.IndexOf(b);

        var cont = caller.NewBlock(b.Name.Length > 0 ? b.Name + ".after." + callee.Name : "after." + callee.Name);
        caller.Blocks.Remove(cont);
        cont.Instructions.AddRange(b.Instructions.Skip(idx + 1));
        b.Instructions.RemoveRange(idx, b.Instructions.Count - idx);

        var regs = new Dictionary<VReg, VReg>();
        VReg Map(VReg r)
        {
            if (!regs.TryGetValue(r, out var n)) regs[r] = n = caller.NewRegLike(r);
            return n;
        }
        var slots = callee.FrameSlots.ToDictionary(s => s, s => caller.NewSlot(s.Size, s.Align, s.Name));
        var blocks = callee.Blocks.ToDictionary(cb => cb, cb => caller.NewBlock(callee.Name + "." + (cb.Name.Length > 0 ? cb.Name : "bb" + cb.Id)));
        foreach (var nb in blocks.Values) caller.Blocks.Remove(nb);

        for (int i = 0; i < callee.Params.Count; i++)
            b.Instructions.Add(new MoveInst(Map(callee.Params[i].Reg), call.Args[i]) { Location = call.Location });
        b.Instructions.Add(new JumpInst(blocks[callee.Entry]) { Location = call.Location });

        foreach (var cb in callee.Blocks)
        {
            var nb = blocks[cb];
            foreach (var inst in cb.Instructions)
            {
                if (inst is ReturnInst ret)
                {
                    if (call.Dst is { } d && ret.Value is { } v)
                        nb.Instructions.Add(new MoveInst(d, MapOperand(v)) { Location = ret.Location });
                    nb.Instructions.Add(new JumpInst(cont) { Location = ret.Location });
                    continue;
                }
                var c = inst.Clone();
                c.RewriteOperands(MapOperand);
                c.RewriteDef(Map);
                switch (c)
                {
                    case FrameAddrInst fa: fa.Slot = slots[fa.Slot]; break;
                    case Terminator t:
                        foreach (var s in t.Successors.Distinct().ToList()) t.ReplaceTarget(s, blocks[s]);
                        break;
                }
                nb.Instructions.Add(c);
            }
        }
        caller.Blocks.InsertRange(at + 1, callee.Blocks.Select(cb => blocks[cb]));
        caller.Blocks.Insert(at + 1 + callee.Blocks.Count, cont);

        Operand MapOperand(Operand o) => o.IsReg ? Map(o.Reg!) : o;
    }

    private static void RemoveUncalled(IrModule module)
    {
        var called = new HashSet<IrFunction>();
        foreach (var f in module.Definitions)
            foreach (var i in f.AllInstructions)
            {
                if (i is CallInst c) called.Add(c.Callee);
                if (i is FuncAddrInst fa) called.Add(fa.Function);
            }
        module.Functions.RemoveAll(f => f.Kind == FunctionKind.Subprogram && !called.Contains(f));
    }
}
