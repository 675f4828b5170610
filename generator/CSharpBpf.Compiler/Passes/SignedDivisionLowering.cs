using System.Collections.Generic;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Exact signed division and remainder with -mcpu=v3 instructions (no sdiv/smod):
/// with s = a >> (w-1) (all ones when negative), |a| = (a ^ s) - s; the quotient is
/// |a| / |b| with the sign s_a ^ s_b applied the same way, the remainder |a| % |b| with s_a.
/// Division by zero keeps eBPF's answers (x / 0 = 0, x % 0 = x) and MinValue / -1 wraps to
/// MinValue — the same results as v4 sdiv/smod. Constant divisors fold their sign at compile time.
/// </summary>
public sealed class SignedDivisionLowering : IFunctionPass
{
    public string Name => "sdiv-lowering";

    public bool Run(IrFunction f)
    {
        bool changed = false;
        foreach (var b in f.Blocks)
        {
            for (int i = 0; i < b.Instructions.Count; i++)
            {
                if (b.Instructions[i] is not BinaryInst { Op: BinOp.SDiv or BinOp.SRem } div) continue;
                var seq = Lower(f, div);
                b.Instructions.RemoveAt(i);
                b.Instructions.InsertRange(i, seq);
                i += seq.Count - 1;
                changed = true;
            }
        }
        return changed;
    }

    private static List<Inst> Lower(IrFunction f, BinaryInst div)
    {
        var w = div.Width;
        int bits = (int)w;
        var seq = new List<Inst>();
        VReg Tmp() => f.NewReg(w);
        void Add(Inst i) { i.Location = div.Location; seq.Add(i); }

        // a in a register (constant dividends are rare after folding; materialize them).
        VReg a;
        if (div.Left.IsReg) a = div.Left.Reg!;
        else { a = Tmp(); Add(new ConstInst(a, div.Left.Imm)); }

        var sa = Tmp();
        Add(new BinaryInst(BinOp.AShr, sa, a, bits - 1));
        var absA = Abs(a, sa);

        Operand absB;
        Operand signB; // 0 or -1 (register or constant)
        if (div.Right.IsImm)
        {
            long c = bits == 32 ? (int)div.Right.Imm : div.Right.Imm;
            signB = c < 0 ? -1 : 0;
            absB = c < 0 ? unchecked(-c) : c;
            if (bits == 32) absB = (long)(uint)absB.Imm;
        }
        else
        {
            var bReg = div.Right.Reg!;
            var sb = Tmp();
            Add(new BinaryInst(BinOp.AShr, sb, bReg, bits - 1));
            signB = sb;
            absB = Abs(bReg, sb);
        }

        var q = Tmp();
        Operand sign;
        if (div.Op == BinOp.SDiv)
        {
            Add(new BinaryInst(BinOp.UDiv, q, absA, absB));
            if (signB.IsImm && signB.Imm == 0) sign = sa;
            else if (signB.IsImm)
            {
                var ns = Tmp();
                Add(new BinaryInst(BinOp.Xor, ns, sa, -1));
                sign = ns;
            }
            else
            {
                var s = Tmp();
                Add(new BinaryInst(BinOp.Xor, s, sa, signB));
                sign = s;
            }
        }
        else
        {
            Add(new BinaryInst(BinOp.URem, q, absA, absB));
            sign = sa;
        }
        var x = Tmp();
        Add(new BinaryInst(BinOp.Xor, x, q, sign));
        Add(new BinaryInst(BinOp.Sub, div.Dst, x, sign));
        return seq;

        VReg Abs(VReg v, Operand s)
        {
            var t = Tmp();
            Add(new BinaryInst(BinOp.Xor, t, v, s));
            var r = Tmp();
            Add(new BinaryInst(BinOp.Sub, r, t, s));
            return r;
        }
    }
}
