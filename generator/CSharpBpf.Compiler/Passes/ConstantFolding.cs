using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Propagates constants held in never-reassigned registers into their uses, evaluates
/// instructions whose operands are all constant (with eBPF's meaning, see <see cref="Evaluator"/>),
/// turns constant branches into jumps, and applies identities (x + 0, x * 1, x &amp; 0, ...).
/// A 64-bit constant that does not fit an imm32 is not copied into 64-bit uses: each copy would
/// cost a two-slot ld_imm64.
/// </summary>
public sealed class ConstantFolding : IFunctionPass
{
    public string Name => "constant-folding";

    public bool Run(IrFunction f)
    {
        var du = DefUse.Compute(f);
        var constants = new Dictionary<VReg, long>();
        foreach (var kv in du.SingleDef)
            if (kv.Value is ConstInst c) constants[kv.Key] = Evaluator.Normalize(c.Value, kv.Key.Width);

        bool changed = false;
        foreach (var b in f.Blocks)
        {
            for (int k = 0; k < b.Instructions.Count; k++)
            {
                var inst = b.Instructions[k];
                if (constants.Count > 0)
                {
                    int before = ImmCount(inst);
                    inst.RewriteOperands(o =>
                        o.IsReg && constants.TryGetValue(o.Reg!, out var v) && Cheap(v, o.Reg!) ? Operand.Const(v) : o);
                    if (ImmCount(inst) != before) changed = true;
                }
                var folded = Fold(inst);
                if (folded is not null)
                {
                    folded.Location = inst.Location;
                    b.Instructions[k] = folded;
                    changed = true;
                }
            }
        }
        return changed;
    }

    private static int ImmCount(Inst i)
    {
        int n = 0;
        foreach (var o in i.Operands) if (o.IsImm) n++;
        return n;
    }

    private static bool Cheap(long v, VReg r) => r.Width == Width.W32 || (v >= int.MinValue && v <= int.MaxValue);

    private static Inst? Fold(Inst inst)
    {
        switch (inst)
        {
            case MoveInst { Src.IsImm: true } m:
                return new ConstInst(m.Dst, Evaluator.Normalize(m.Src.Imm, m.Dst.Width));
            case BinaryInst b when b.Left.IsImm && b.Right.IsImm:
                return new ConstInst(b.Dst, Evaluator.Binary(b.Op, b.Width, b.Left.Imm, b.Right.Imm));
            case BinaryInst b:
                return Simplify(b);
            case UnaryInst { Src.IsImm: true } u:
                return new ConstInst(u.Dst, Evaluator.Unary(u.Op, u.Dst.Width, u.Src.Imm));
            case ConvertInst { Src.IsImm: true } c:
                return new ConstInst(c.Dst, Evaluator.Convert(c.Src.Imm, c.FromBits, c.Signed, c.Dst.Width));
            case CompareInst c when c.Left.IsImm && c.Right.IsImm:
                return new ConstInst(c.Dst, Evaluator.Compare(c.Cond, c.Width, c.Left.Imm, c.Right.Imm) ? 1 : 0);
            case BranchInst br when br.Left.IsImm && br.Right.IsImm:
                return new JumpInst(Evaluator.Compare(br.Cond, br.Width, br.Left.Imm, br.Right.Imm) ? br.IfTrue : br.IfFalse);
            case BranchInst br when br.IfTrue == br.IfFalse:
                return new JumpInst(br.IfTrue);
            default:
                return null;
        }
    }

    private static Inst? Simplify(BinaryInst b)
    {
        var w = b.Width;
        long mask = w == Width.W32 ? 0xffffffffL : -1L;
        if (b.Right.IsImm)
        {
            long r = Evaluator.Normalize(b.Right.Imm, w);
            switch (b.Op)
            {
                case BinOp.Add or BinOp.Sub or BinOp.Or or BinOp.Xor or BinOp.Shl or BinOp.LShr or BinOp.AShr when r == 0 || (b.Op is BinOp.Shl or BinOp.LShr or BinOp.AShr && (r & ((int)w - 1)) == 0):
                case BinOp.Mul or BinOp.UDiv or BinOp.SDiv when r == 1:
                case BinOp.URem or BinOp.SRem when r == 0: // eBPF: x % 0 == x
                case BinOp.And when r == mask:
                    return SameWidthMove(b, b.Left);
                case BinOp.UDiv or BinOp.SDiv when r == 0: // eBPF: x / 0 == 0
                case BinOp.Mul or BinOp.And when r == 0:
                case BinOp.URem or BinOp.SRem when r == 1:
                    return new ConstInst(b.Dst, 0);
            }
        }
        if (b.Left.IsImm)
        {
            long l = Evaluator.Normalize(b.Left.Imm, w);
            switch (b.Op)
            {
                case BinOp.Add or BinOp.Or or BinOp.Xor when l == 0:
                case BinOp.Mul when l == 1:
                case BinOp.And when l == mask:
                    return SameWidthMove(b, b.Right);
                case BinOp.Mul or BinOp.And or BinOp.Shl or BinOp.LShr or BinOp.AShr or BinOp.UDiv or BinOp.SDiv when l == 0:
                    return new ConstInst(b.Dst, 0);
            }
        }
        return null;
    }

    private static Inst? SameWidthMove(BinaryInst b, Operand src)
    {
        if (src.IsImm) return new ConstInst(b.Dst, Evaluator.Normalize(src.Imm, b.Width));
        if (src.Reg!.Width != b.Dst.Width || src.Reg.IsPointer != b.Dst.IsPointer) return null;
        return new MoveInst(b.Dst, src);
    }
}
