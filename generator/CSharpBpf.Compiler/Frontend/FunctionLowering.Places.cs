using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

internal sealed partial class FunctionLowering
{
    private Place PlaceOfLocal(ISymbol symbol)
    {
        if (!_locals.TryGetValue(symbol, out var storage))
            throw new LoweringException(BpfDiagnostics.InternalError, symbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(), symbol.Name, "local used before its declaration was lowered");
        var type = symbol switch { ILocalSymbol l => l.Type, IParameterSymbol p => p.Type, _ => throw new System.InvalidOperationException() };
        return storage switch
        {
            RegStorage r => new RegPlace(r.Reg, type),
            SlotStorage s => SlotPlace(s.Slot, type),
            RefStorage rf => new MemPlace(rf.Pointer, 0, type),
            _ => throw new System.InvalidOperationException(),
        };
    }

    /// <summary>The storage location an lvalue expression denotes.</summary>
    private Place PlaceOf(IOperation op)
    {
        switch (op)
        {
            case ILocalReferenceOperation l:
                if (l.IsDeclaration && !_locals.ContainsKey(l.Local)) DeclareLocal(l.Local);
                return PlaceOfLocal(l.Local);
            case IParameterReferenceOperation p:
                return PlaceOfLocal(p.Parameter);
            case IParenthesizedOperation par:
                return PlaceOf(par.Operand);
            case IInlineArrayAccessOperation ia:
                return InlineArrayElement(ia);
            case IDeclarationExpressionOperation decl:
                return PlaceOf(decl.Expression);
            case IFieldReferenceOperation f when f.Field.IsStatic:
                if (_module.Globals.TryGetValue(f.Field, out var g))
                    return new MemPlace(_b.GlobalAddr(g), 0, f.Field.Type);
                throw new LoweringException(BpfDiagnostics.UnsupportedStatic, f.Syntax, f.Field.Name, "it is a map (use its methods) or not a BPF global");
            case IFieldReferenceOperation f:
                var inst = f.Instance ?? throw LoweringException.Unsupported(f, "field without instance");
                if (StructPlace(inst) is not MemPlace baseMem) throw LoweringException.Unsupported(f, "field of a value that is not in memory");
                int offset = Types.OffsetOf(f.Field);
                if (f.Field.IsFixedSizeBuffer)
                    throw LoweringException.Unsupported(f, "fixed buffer used as a value (index it: buf[i])");
                return WithKernelCore(baseMem.WithOffset(offset, f.Field.Type), f, baseMem);
            case { Kind: OperationKind.None } n:
                return PlaceOfUntyped(n);
            default:
                throw LoweringException.Unsupported(op, op.Kind + " used as a storage location");
        }
    }

    /// <summary>Pointer operations Roslyn has no IOperation interface for: *p, p[i], p->f's implicit *p, fixed buffer elements.</summary>
    private Place PlaceOfUntyped(IOperation n)
    {
        var children = n.ChildOperations.ToList();
        var type = n.Type ?? throw LoweringException.Unsupported(n, "untyped expression");
        if (n.Syntax is ElementAccessExpressionSyntax && children.Count == 2)
        {
            var baseOp = children[0];
            VReg ptr;
            if (baseOp is IFieldReferenceOperation { Field.IsFixedSizeBuffer: true } fb)
                ptr = FixedBufferAddress(fb);
            else
                ptr = AsPointer(Value(baseOp), baseOp);
            int elem = Types.SizeOf(type);
            var index = children[1];
            if (index.ConstantValue.HasValue)
                return new MemPlace(ptr, checked((int)(Constants.ToLong(index.ConstantValue.Value) * elem)), type);
            var scaled = ScaledIndex(Value(index), index.Type!, elem);
            return new MemPlace(_b.Binary(BinOp.Add, ptr, scaled, pointer: true), 0, type);
        }
        if (children.Count == 1 && children[0].Type is IPointerTypeSymbol)
        {
            // *p, or the implicit *p of p->f
            return new MemPlace(AsPointer(Value(children[0]), children[0]), 0, type);
        }
        throw LoweringException.Unsupported(n, n.Syntax.Kind().ToString());
    }

    private VReg FixedBufferAddress(IFieldReferenceOperation fb)
    {
        var inst = fb.Instance ?? throw LoweringException.Unsupported(fb, "static fixed buffer");
        if (StructPlace(inst) is not MemPlace m) throw LoweringException.Unsupported(fb, "fixed buffer of a value not in memory");
        // An array field of a kernel type (icsk->icsk_ca_priv[i]): its start is a CO-RE relocated address.
        return AddressOf(WithKernelCore(m.WithOffset(Types.OffsetOf(fb.Field), fb.Field.Type), fb, m));
    }

    /// <summary>A struct-typed expression's memory (locals, fields, *p, map values).</summary>
    private Place StructPlace(IOperation op) => PlaceOf(op);

    private VReg AsPointer(Operand o, IOperation at)
    {
        if (o.IsReg && o.Reg!.IsPointer) return o.Reg;
        var p = _b.Ptr();
        _b.Move(p, o);
        return p;
    }

    /// <summary>index * size as a 64-bit offset (sign-extending int indices, as C# does).</summary>
    private Operand ScaledIndex(Operand index, ITypeSymbol indexType, int size)
    {
        var (bits, signed) = IntInfo(indexType);
        Operand wide = index;
        if (index.IsReg && index.Reg!.Width == Width.W32)
        {
            var d = _b.Reg(Width.W64);
            _b.Emit(new ConvertInst(d, index, 32, signed && bits <= 32));
            wide = d;
        }
        if (size == 1) return wide;
        if ((size & (size - 1)) == 0)
            return _b.Binary(BinOp.Shl, wide, Log2(size), Width.W64);
        return _b.Binary(BinOp.Mul, wide, size, Width.W64);
    }

    private static int Log2(int v)
    {
        int r = 0;
        while ((1 << r) < v) r++;
        return r;
    }

    /// <summary>The address of an lvalue (for ref locals, ref/out/in arguments and &amp;x).</summary>
    private VReg AddressOfPlace(IOperation op)
    {
        if (op is IFieldReferenceOperation { Field.IsFixedSizeBuffer: true } fb) return FixedBufferAddress(fb);
        var place = PlaceOf(op);
        if (place is MemPlace m) return AddressOf(m);
        throw new LoweringException(BpfDiagnostics.InternalError, op.Syntax, op.Syntax.ToString(), "address of a register local");
    }

    /// <summary>place = value, for scalars and structs.</summary>
    private void AssignTo(Place place, IOperation value)
    {
        if (NeedsMemory(place.Type) && place is MemPlace dst)
        {
            var v = StripConversions(value);
            if (v is IDefaultValueOperation || v is IObjectCreationOperation { Initializer: null })
            {
                ZeroBytes(dst, Types.SizeOf(place.Type));
                return;
            }
            if (v is IObjectCreationOperation oc)
            {
                ZeroBytes(dst, Types.SizeOf(place.Type));
                foreach (var init in oc.Initializer!.Initializers)
                {
                    if (init is ISimpleAssignmentOperation { Target: IFieldReferenceOperation fr } a)
                        AssignTo(dst.WithOffset(Types.OffsetOf(fr.Field), fr.Field.Type), a.Value);
                    else throw LoweringException.Unsupported(init, "object initializer member");
                }
                return;
            }
            if (PlaceOf(v) is MemPlace src)
            {
                CopyBytes(dst, src, Types.SizeOf(place.Type));
                return;
            }
            throw LoweringException.Unsupported(value, "struct value");
        }
        Write(place, Value(value));
    }

    private static IOperation StripConversions(IOperation op)
    {
        while (op is IConversionOperation c && (c.Conversion.IsIdentity || c.Operand is IDefaultValueOperation)) op = c.Operand;
        return op;
    }
}
