using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Value numbering over extended basic blocks (a block with one predecessor continues its
/// predecessor's facts). A pure computation already held in a register becomes a copy of it
/// (address arithmetic the frontend repeats: data + i, sign extensions, field addresses), and
/// an assignment of the value a register already holds disappears (the same constant set on
/// both sides of a branch). Loads count as values until a store, atomic or call may change memory.
/// Registers may be reassigned (the IR is not SSA): every definition forgets the facts it breaks.
/// </summary>
public sealed class LocalValueNumbering : IFunctionPass
{
    public string Name => "value-numbering";

    private sealed class State
    {
        public readonly Dictionary<string, VReg> Avail = new();
        public readonly Dictionary<VReg, string> Holds = new();
        public readonly Dictionary<VReg, List<string>> Dependents = new();
        public readonly Dictionary<VReg, long> Constants = new();

        public State Clone()
        {
            var s = new State();
            foreach (var kv in Constants) s.Constants[kv.Key] = kv.Value;
            foreach (var kv in Avail) s.Avail[kv.Key] = kv.Value;
            foreach (var kv in Holds) s.Holds[kv.Key] = kv.Value;
            foreach (var kv in Dependents) s.Dependents[kv.Key] = new List<string>(kv.Value);
            return s;
        }

        public void Forget(VReg d)
        {
            Constants.Remove(d);
            Holds.Remove(d);
            // Every value d was holding (it may hold several: its own computation, a stored copy).
            foreach (var key in Avail.Where(kv => kv.Value == d).Select(kv => kv.Key).ToList()) Avail.Remove(key);
            if (Dependents.TryGetValue(d, out var keys))
            {
                foreach (var key in keys)
                    if (Avail.TryGetValue(key, out var r))
                    {
                        Avail.Remove(key);
                        Holds.Remove(r);
                    }
                Dependents.Remove(d);
            }
        }

        public void ForgetMemory()
        {
            foreach (var key in Avail.Keys.Where(k => k.StartsWith("load", System.StringComparison.Ordinal)).ToList())
            {
                Holds.Remove(Avail[key]);
                Avail.Remove(key);
            }
        }

        public void Record(string key, VReg d, IEnumerable<VReg> operands)
        {
            Avail[key] = d;
            Holds[d] = key;
            foreach (var o in operands)
            {
                if (!Dependents.TryGetValue(o, out var l)) Dependents[o] = l = new List<string>();
                l.Add(key);
            }
        }
    }

    public bool Run(IrFunction f)
    {
        bool changed = false;
        var preds = f.Predecessors();
        var exitState = new Dictionary<BasicBlock, State>();
        var visited = new HashSet<BasicBlock>();
        var stack = new Stack<BasicBlock>();
        foreach (var root in f.Blocks)
        {
            if (visited.Contains(root)) continue;
            if (preds[root].Count == 1 && preds[root][0] != root && !visited.Contains(preds[root][0]) && root != f.Entry) continue;
            stack.Push(root);
            while (stack.Count > 0)
            {
                var b = stack.Pop();
                if (!visited.Add(b)) continue;
                var p = preds[b];
                var state = b != f.Entry && p.Count == 1 && p[0] != b && exitState.TryGetValue(p[0], out var ps) ? ps.Clone() : new State();
                changed |= Number(b, state);
                exitState[b] = state;
                foreach (var s in b.Successors)
                    if (!visited.Contains(s) && preds[s].Count == 1) stack.Push(s);
            }
        }
        // Blocks skipped above (single predecessor not yet seen) start fresh.
        foreach (var b in f.Blocks)
            if (visited.Add(b)) changed |= Number(b, new State());
        return changed;
    }

    private static bool Number(BasicBlock b, State st)
    {
        bool changed = false;
        for (int k = 0; k < b.Instructions.Count; k++)
        {
            var inst = b.Instructions[k];
            if (st.Constants.Count > 0 && inst is not (MoveInst or ConstInst))
            {
                // Registers known (on this path) to hold a constant are read as that constant.
                int before = inst.Operands.Count(o => o.IsImm);
                inst.RewriteOperands(o => o.IsReg && st.Constants.TryGetValue(o.Reg!, out var c) && (o.Reg!.Width == Width.W32 || (c >= int.MinValue && c <= int.MaxValue)) ? Operand.Const(c) : o);
                if (inst.Operands.Count(o => o.IsImm) != before) changed = true;
            }
            if (inst is StoreInst or AtomicInst or CallInst) st.ForgetMemory();
            if (inst is StoreInst { Core: null, Value.IsReg: true } store && StoredWhole(store))
            {
                // Store-to-load forwarding: until memory may change, loading it back gives the stored register.
                var v = store.Value.Reg!;
                st.Record(LoadKey(store.Size, false, v.Width, v.IsPointer, store.Base, store.Offset), v, new[] { v, store.Base });
                continue;
            }
            if (inst.Def is not { } d) continue;
            var key = Key(inst);
            if (key is not null && st.Avail.TryGetValue(key, out var holder))
            {
                if (holder == d)
                {
                    b.Instructions.RemoveAt(k--); // d already holds exactly this value
                    changed = true;
                    continue;
                }
                // A small constant stays a mov-immediate: a copy of another register holding it costs the same
                // instruction but keeps that register alive (and blocks coalescing, e.g. of a merged return value).
                bool cheapConst = inst is ConstInst cst && (d.Width == Width.W32 || cst.Value >= int.MinValue && cst.Value <= int.MaxValue);
                if (!cheapConst && holder.Width == d.Width && holder.IsPointer == d.IsPointer)
                {
                    var mv = new MoveInst(d, holder) { Location = inst.Location };
                    b.Instructions[k] = mv;
                    st.Forget(d);
                    changed = true;
                    // d now holds the same value: record it so later repeats find either register.
                    if (!inst.Uses.Contains(d)) st.Holds[d] = key;
                    continue;
                }
            }
            long? known = inst switch
            {
                ConstInst c => Evaluator.Normalize(c.Value, d.Width),
                MoveInst { Src.IsImm: true } m => Evaluator.Normalize(m.Src.Imm, d.Width),
                MoveInst { Src.IsReg: true } m when m.Src.Reg!.Width == d.Width && st.Constants.TryGetValue(m.Src.Reg!, out var c) => c,
                _ => null,
            };
            st.Forget(d);
            if (key is not null && !inst.Uses.Contains(d)) st.Record(key, d, inst.Uses);
            if (known is { } kv) st.Constants[d] = kv;
        }
        return changed;
    }

    private static string LoadKey(int size, bool signExtend, Width w, bool pointer, VReg @base, short offset) =>
        $"load{size} {signExtend} {(int)w}{(pointer ? "p" : "")} %{@base.Id} {offset}";

    /// <summary>The store writes the register's whole value (so a same-size load returns exactly it).</summary>
    private static bool StoredWhole(StoreInst s) =>
        s.Value.Reg!.Width == Width.W64 ? s.Size == 8 : s.Size == 4;

    private static string O(Operand o) => o.IsReg ? "%" + o.Reg!.Id : "#" + o.Imm;

    private static string? Key(Inst i) => i switch
    {
        ConstInst c => $"const{(int)c.Dst.Width}{(c.Dst.IsPointer ? "p" : "")} {Evaluator.Normalize(c.Value, c.Dst.Width)}",
        BinaryInst x => $"{x.Op}{(int)x.Width}{(x.Dst.IsPointer ? "p" : "")} {O(x.Left)} {O(x.Right)}",
        UnaryInst x => $"{x.Op}{(int)x.Dst.Width} {O(x.Src)}",
        ConvertInst x => $"conv{(int)x.Dst.Width} {x.FromBits} {x.Signed} {O(x.Src)}",
        CompareInst x => $"cmp{(int)x.Width} {x.Cond} {O(x.Left)} {O(x.Right)}",
        FrameAddrInst x => $"frame {x.Slot.Id}",
        MapAddrInst x => $"map {x.Map.Name}",
        GlobalAddrInst x => $"global {x.Global.Name}",
        LoadInst x when x.Core is null => LoadKey(x.Size, x.SignExtend, x.Dst.Width, x.Dst.IsPointer, x.Base, x.Offset),
        _ => null,
    };
}
