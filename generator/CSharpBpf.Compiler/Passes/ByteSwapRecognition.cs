using System.Linq;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// Recognises the hand-written 16-bit byte swap <c>(ushort)((x &gt;&gt; 8) | (x &lt;&lt; 8))</c> (either order of
/// the or) and turns it into one be16, as clang recognises bswap idioms: four or five instructions become
/// one. Only when x is known to fit in 16 bits (a 16- or 8-bit zero-extending load or conversion, a
/// be16, or an unsigned 8/16-bit parameter), since then both the logical and the arithmetic shift
/// right give the high byte, and nothing above bit 15 reaches the kept half.
/// </summary>
public sealed class ByteSwapRecognition : IFunctionPass
{
    public string Name => "byte-swap-recognition";

    public bool Run(IrFunction f)
    {
        var du = DefUse.Compute(f);
        bool changed = false;
        foreach (var b in f.Blocks)
            for (int k = 0; k < b.Instructions.Count; k++)
            {
                if (b.Instructions[k] is not ConvertInst { FromBits: 16, Signed: false, Src.IsReg: true } z || z.Dst.Width != Width.W32) continue;
                if (SwappedValue(du, f, z.Src.Reg!) is not { } x) continue;
                b.Instructions[k] = new UnaryInst(UnOp.ByteSwap16, z.Dst, x) { Location = z.Location };
                changed = true;
            }
        return changed;
    }

    /// <summary>x when <paramref name="v"/> is (x &gt;&gt; 8) | (x &lt;&lt; 8) with x a stable 16-bit value.</summary>
    private static VReg? SwappedValue(DefUse du, IrFunction f, VReg v)
    {
        if (!du.SingleDef.TryGetValue(v, out var def) || def is not BinaryInst { Op: BinOp.Or } or ||
            !or.Left.IsReg || !or.Right.IsReg) return null;
        var l = ShiftOf(du, or.Left.Reg!);
        var r = ShiftOf(du, or.Right.Reg!);
        if (l is null || r is null || l.Value.X != r.Value.X || l.Value.Left == r.Value.Left) return null;
        var x = l.Value.X;
        return x.Width == Width.W32 && du.IsStable(x) && Fits16(du, f, x) ? x : null;
    }

    /// <summary>(x, true) for x &lt;&lt; 8, (x, false) for x &gt;&gt; 8 (logical or arithmetic).</summary>
    private static (VReg X, bool Left)? ShiftOf(DefUse du, VReg r)
    {
        if (!du.SingleDef.TryGetValue(r, out var def) || def is not BinaryInst { Left.IsReg: true, Right.IsImm: true } s || s.Right.Imm != 8) return null;
        return s.Op switch
        {
            BinOp.Shl => (s.Left.Reg!, true),
            BinOp.LShr or BinOp.AShr => (s.Left.Reg!, false),
            _ => null,
        };
    }

    private static bool Fits16(DefUse du, IrFunction f, VReg x)
    {
        if (du.Params.Contains(x)) // our callers pass narrow values normalised; a [Global] function's may be anyone's
            return f.Kind != FunctionKind.Global && f.Params.FirstOrDefault(p => p.Reg == x)?.Type is IntType { Size: <= 2, Signed: false };
        if (!du.SingleDef.TryGetValue(x, out var def)) return false;
        return def switch
        {
            LoadInst { Size: <= 2, SignExtend: false } => true,
            ConvertInst { FromBits: <= 16, Signed: false } => true,
            UnaryInst { Op: UnOp.ByteSwap16 } => true,
            _ => false,
        };
    }
}
