using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Tests.Backend.Property;

/// <summary>Builds IR for an expression the way a frontend would: temporaries per node, a
/// branch diamond writing one register for the conditional, compare-to-register for CmpExpr.</summary>
internal static class ExprLowering
{
    public static Operand Lower(FunctionBuilder b, Expr e, VReg[] vars)
    {
        switch (e)
        {
            case VarExpr v:
                return v.W == Width.W32 ? b.Truncate(vars[v.Index]) : vars[v.Index];
            case ConstExpr c:
                return b.Const(c.W, c.Value);
            case BinExpr x:
                return b.Binary(x.Op, Reg(b, Lower(b, x.L, vars), x.W), Lower(b, x.R, vars), x.W);
            case UnExpr u:
                return b.Unary(u.Op, Reg(b, Lower(b, u.X, vars), u.W), u.W);
            case ConvExpr c:
            {
                var src = Reg(b, Lower(b, c.X, vars), c.X.Width);
                var d = b.Reg(c.W);
                b.Emit(new ConvertInst(d, src, c.FromBits, c.Signed));
                return d;
            }
            case CmpExpr c:
                return b.Compare(c.Cond, Reg(b, Lower(b, c.L, vars), c.L.Width), Lower(b, c.R, vars), c.L.Width);
            case CallBarrierExpr c:
            {
                // x ^ y with a helper call in between: x lives across the call.
                var x = Reg(b, Lower(b, c.X, vars), c.W);
                var helper = b.Function.Kind == FunctionKind.Program ? Prandom(b) : null;
                if (helper is not null) b.Call(helper);
                var y = Lower(b, c.Y, vars);
                return b.Binary(BinOp.Xor, x, y, c.W);
            }
            case SelectExpr s:
            {
                var l = Reg(b, Lower(b, s.L, vars), s.L.Width);
                var r = Lower(b, s.R, vars);
                var result = b.Reg(s.W);
                var t = b.NewBlock("sel.true");
                var f = b.NewBlock("sel.false");
                var join = b.NewBlock("sel.join");
                b.Branch(s.Cond, l, r, t, f, s.L.Width);
                b.SetBlock(t);
                b.Move(result, Lower(b, s.A, vars));
                b.Jump(join);
                b.SetBlock(f);
                b.Move(result, Lower(b, s.B, vars));
                b.Jump(join);
                b.SetBlock(join);
                return result;
            }
        }
        throw new System.ArgumentException(e.ToString());
    }

    private static IrFunction Prandom(FunctionBuilder b) => Module(b).Helper("bpf_get_prandom_u32", 7, IntType.UInt);

    /// <summary>The module owning the builder's function (found through the harness's registry).</summary>
    private static IrModule Module(FunctionBuilder b) => XdpHarness.ModuleOf(b.Function);

    /// <summary>Operands of a given width in a register (constants as typed registers).</summary>
    private static VReg Reg(FunctionBuilder b, Operand o, Width w) => o.IsReg ? o.Reg! : b.Const(w, o.Imm);

    /// <summary>The 64-bit view of a result (32-bit results zero-extended).</summary>
    public static Operand Widen(FunctionBuilder b, Operand o, Width w)
    {
        if (w == Width.W64) return o;
        var r = Reg(b, o, Width.W32);
        return b.ZeroExtend(r, 32, Width.W64);
    }
}
