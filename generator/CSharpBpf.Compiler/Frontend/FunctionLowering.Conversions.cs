using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

internal sealed partial class FunctionLowering
{
    private Operand Convert(IConversionOperation c)
    {
        if (c.OperatorMethod is not null) throw LoweringException.Unsupported(c, "user-defined conversion");
        var to = c.Type!;
        var from = c.Operand.Type;
        if (from is null) return Operand.Const(0); // the null literal converted to a pointer
        // (T*)ctx->data: load the 32-bit context field straight into a pointer register, so the verifier's
        // packet pointer is not laundered through a scalar move.
        if (to is IPointerTypeSymbol && IntInfo(from) is (32, false) && IsMemoryRead(c.Operand))
        {
            var place = (MemPlace)PlaceOf(c.Operand);
            var (b, off) = Addressable(place);
            return _b.Load(4, b, off, pointer: true);
        }
        return ConvertValue(Value(c.Operand), from, to);
    }

    private bool IsMemoryRead(IOperation op) =>
        op is IFieldReferenceOperation { Field.IsStatic: false } || op is { Kind: OperationKind.None };

    /// <summary>
    /// Converts a normalised value of <paramref name="from"/> to <paramref name="to"/> with C# semantics:
    /// narrowing keeps the low bits then re-extends by the target's sign; widening extends by the source's sign.
    /// </summary>
    private Operand ConvertValue(Operand v, ITypeSymbol from, ITypeSymbol to)
    {
        if (SymbolEqualityComparer.Default.Equals(from, to)) return v;
        var (fb, fs) = IntInfo(from);
        var (tb, ts) = IntInfo(to);
        if (fb == 0 || tb == 0) throw new LoweringException(Diagnostics.BpfDiagnostics.UnsupportedType, null, UnsupportedTypes.Args(fb == 0 ? from : to));
        if (to.SpecialType == SpecialType.System_Boolean || from.SpecialType == SpecialType.System_Boolean) return v;
        bool toPtr = to is IPointerTypeSymbol;
        if (v.IsImm) return Normalize(ExtendConstant(v.Imm, fb, fs, tb, ts), to);

        if (tb < 32)
        {
            // a no-op when the normalised source already is the normalised target
            if (fb < tb && (fs == ts || !fs)) return v;
            if (fb == tb && fs == ts) return v;
            var d = _b.Reg(Width.W32);
            _b.Emit(new ConvertInst(d, v, tb, ts));
            return d;
        }
        if (tb == 32)
        {
            if (fb <= 32) return v; // the 32-bit pattern is already right (C# sign-extends signed sources)
            var d = _b.Reg(Width.W32);
            _b.Emit(new ConvertInst(d, v, 32, false));
            return d;
        }
        // tb == 64
        if (fb == 64)
        {
            if (toPtr == v.Reg!.IsPointer) return v;
            var p = toPtr ? _b.Ptr() : _b.Reg(Width.W64);
            _b.Move(p, v);
            return p;
        }
        var w = toPtr ? _b.Ptr() : _b.Reg(Width.W64);
        _b.Emit(new ConvertInst(w, v, 32, fs));
        return w;
    }

    private static long ExtendConstant(long value, int fb, bool fs, int tb, bool ts)
    {
        // value is the source's normalised pattern: take the low tb bits and extend by the target's sign
        // (for widening, the source's sign decides, and the normalised value already carries it)
        long v = value;
        if (fb < 64) v = fs ? SignExtend(v, fb) : v & ((1L << fb) - 1);
        if (tb < 64) v = ts ? SignExtend(v, tb) : v & ((1L << tb) - 1);
        return v;
    }

    private static long SignExtend(long v, int bits) => (v << (64 - bits)) >> (64 - bits);
}
