using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// Fixed-size inline buffers ([InlineArray(N)] structs, C# 12's safe fixed buffers): element access
/// buf[i], and foreach over them, the one foreach BPF supports: a loop of exactly N iterations over
/// memory the verifier can bound, with the element by value or by ref.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>(length, element type) of an [InlineArray] struct, or null.</summary>
    internal static (int Length, ITypeSymbol Element)? InlineArrayInfo(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct } s) return null;
        var attr = s.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.InlineArrayAttribute");
        if (attr is not { ConstructorArguments.Length: 1 } || attr.ConstructorArguments[0].Value is not int n) return null;
        var field = s.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => !f.IsStatic);
        return field is null ? null : (n, field.Type);
    }

    private Place InlineArrayElement(IInlineArrayAccessOperation access)
    {
        var info = InlineArrayInfo(access.Instance.Type) ?? throw LoweringException.Unsupported(access, "inline array without a length");
        if (PlaceOf(access.Instance) is not MemPlace m) throw LoweringException.Unsupported(access, "inline array not in memory");
        int size = Types.SizeOf(info.Element);
        if (access.Argument.ConstantValue.HasValue)
            return m.WithOffset(checked((int)(Constants.ToLong(access.Argument.ConstantValue.Value) * size)), info.Element);
        var scaled = ScaledIndex(Value(access.Argument), access.Argument.Type!, size);
        return new MemPlace(_b.Binary(BinOp.Add, AddressOf(m), scaled, pointer: true), 0, info.Element);
    }

    private void LowerForEach(IForEachLoopOperation fe)
    {
        var info = InlineArrayInfo(fe.Collection.Type) ?? throw LoweringException.Unsupported(fe, "foreach over something other than a fixed-size buffer");
        if (PlaceOf(StripConversions(fe.Collection)) is not MemPlace buffer) throw LoweringException.Unsupported(fe.Collection, "inline array not in memory");
        if (fe.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var local }) throw LoweringException.Unsupported(fe, "foreach variable");
        int size = Types.SizeOf(info.Element);
        var baseAddr = AddressOf(buffer);
        var index = _b.Reg(Width.W64, "foreach.i");
        _b.Move(index, 0);
        var head = _b.NewBlock("foreach.head");
        var body = _b.NewBlock("foreach.body");
        var step = _b.NewBlock("foreach.step");
        var end = _b.NewBlock("foreach.end");
        JumpTo(head);
        _b.SetBlock(head);
        _b.Branch(CmpOp.Ult, index, info.Length, body, end, Width.W64);
        _b.SetBlock(body);
        var offset = size == 1 ? (Operand)index : _b.Binary(BinOp.Mul, index, size, Width.W64);
        var element = new MemPlace(_b.Binary(BinOp.Add, baseAddr, offset, pointer: true), 0, info.Element);
        var storage = DeclareLocal(local);
        if (storage is RefStorage rs) rs.Pointer = element.Base;
        else if (NeedsMemory(local.Type)) CopyBytes((MemPlace)PlaceOfLocal(local), element, size);
        else Write(PlaceOfLocal(local), Read(element));
        _targets.Push((end, step));
        LowerStatement(fe.Body);
        _targets.Pop();
        JumpTo(step);
        _b.SetBlock(step);
        _b.BinaryInto(index, BinOp.Add, index, 1);
        JumpTo(head);
        _b.SetBlock(end);
    }
}
