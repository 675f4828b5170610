using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// "q = p + k; load [q + o]" becomes "load [p + k + o]" when p is never reassigned (so it still
/// holds the same value at the access) and the offset fits eBPF's 16 bits: the constant rides in
/// the instruction's offset field instead of costing a mov and an add. Accesses with a CO-RE
/// relocation keep their shape (the loader patches that offset field). Chains of constant pointer
/// adds combine the same way: "q = p + 14; r = q + 20" becomes "r = p + 34".
/// </summary>
public sealed class AddressFolding : IFunctionPass
{
    public string Name => "address-folding";

    public bool Run(IrFunction f)
    {
        var du = DefUse.Compute(f);
        bool changed = false;
        foreach (var i in f.AllInstructions)
        {
            switch (i)
            {
                case LoadInst { Core: null } l when Fold(du, l.Base, l.Offset) is var (b, o):
                    l.Base = b;
                    l.Offset = o;
                    changed = true;
                    break;
                case StoreInst { Core: null } s when Fold(du, s.Base, s.Offset) is var (b, o):
                    s.Base = b;
                    s.Offset = o;
                    changed = true;
                    break;
                case AtomicInst a when Fold(du, a.Base, a.Offset) is var (b, o):
                    a.Base = b;
                    a.Offset = o;
                    changed = true;
                    break;
                case BinaryInst { Op: BinOp.Add or BinOp.Sub, Left.IsReg: true, Right.IsImm: true } x when x.Dst.IsPointer &&
                        Combine(du, x.Left.Reg!, x.Op == BinOp.Add ? x.Right.Imm : -x.Right.Imm) is var (b, k):
                    // q = p + k1; r = q + k2  →  r = p + (k1 + k2): one add, and q may die
                    x.Op = BinOp.Add;
                    x.Left = b;
                    x.Right = k;
                    changed = true;
                    break;
            }
        }
        return changed;
    }

    private static (VReg, long)? Combine(DefUse du, VReg q, long k)
    {
        if (!du.SingleDef.TryGetValue(q, out var def)) return null;
        if (def is not BinaryInst { Op: BinOp.Add or BinOp.Sub } add || !add.Left.IsReg || !add.Right.IsImm) return null;
        var p = add.Left.Reg!;
        if (!p.IsPointer || !du.IsStable(p)) return null;
        long total = (add.Op == BinOp.Add ? add.Right.Imm : -add.Right.Imm) + k;
        if (total < int.MinValue || total > int.MaxValue) return null;
        return (p, total);
    }

    private static (VReg, short)? Fold(DefUse du, VReg @base, short offset)
    {
        if (!du.SingleDef.TryGetValue(@base, out var def)) return null;
        if (def is not BinaryInst { Op: BinOp.Add or BinOp.Sub } add || !add.Left.IsReg || !add.Right.IsImm) return null;
        var p = add.Left.Reg!;
        if (!p.IsPointer || !du.IsStable(p)) return null;
        long k = add.Op == BinOp.Add ? add.Right.Imm : -add.Right.Imm;
        long total = offset + k;
        if (total < short.MinValue || total > short.MaxValue) return null;
        return (p, (short)total);
    }
}
