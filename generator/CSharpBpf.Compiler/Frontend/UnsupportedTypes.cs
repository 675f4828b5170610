using System.Linq;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// The arguments of BPF0012 (type, why it cannot be used, what to use instead), so each refusal names the
/// reason that applies to that type: a reference type, a ref struct (Span), a managed struct, or an
/// unmanaged struct crossing a call by value; never a generic list that contradicts the type at hand.
/// </summary>
internal static class UnsupportedTypes
{
    /// <summary>BPF0012 arguments for a local, field, map key/value or other use of <paramref name="t"/>.</summary>
    public static object[] Args(ITypeSymbol t) => new object[] { t.ToDisplayString(), Why(t), Fix(t) };

    /// <summary>BPF0012 arguments for a struct parameter taken by value (BPF arguments are registers).</summary>
    public static object[] ByValueParameter(IParameterSymbol p, IMethodSymbol m) => new object[]
    {
        p.Type.ToDisplayString(),
        $"parameter '{p.Name}' of '{m.Name}' takes this struct by value, and BPF passes arguments in registers (8 bytes each)",
        $"pass a pointer ({p.Type.ToDisplayString()}* {p.Name}) or a reference (ref {p.Type.ToDisplayString()} {p.Name})",
    };

    /// <summary>BPF0012 arguments for a struct returned by value (BPF returns one register).</summary>
    public static object[] ByValueReturn(IMethodSymbol m) => new object[]
    {
        m.ReturnType.ToDisplayString(),
        $"'{m.Name}' returns this struct by value, and a BPF function returns a single register",
        $"return an integer and write the struct through a parameter ({m.ReturnType.ToDisplayString()}* result or ref {m.ReturnType.ToDisplayString()} result)",
    };

    /// <summary>True for a struct BPF can lay out (it is fine as a local, field or map value, not by value across a call).</summary>
    public static bool IsUnmanagedStruct(ITypeSymbol t) =>
        t is INamedTypeSymbol { TypeKind: TypeKind.Struct, IsUnmanagedType: true, IsRefLikeType: false } && TypeMapper.Primitive(t) is null;

    private static string Why(ITypeSymbol t)
    {
        if (t.SpecialType == SpecialType.System_String) return "a string lives on the managed heap, which a BPF program does not have";
        if (t.IsRefLikeType) return "it is a ref struct (like Span<T>), which has no BPF representation";
        if (t.IsReferenceType) return $"it is a reference type ({KindName(t)}), and a BPF program has no managed heap";
        if (t is INamedTypeSymbol { TypeKind: TypeKind.Struct, IsUnmanagedType: false } s)
        {
            var field = s.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => !f.IsStatic && !f.Type.IsUnmanagedType);
            return field is null
                ? "it is a managed struct"
                : $"it is a managed struct (field '{field.Name}' is a {field.Type.ToDisplayString()})";
        }
        if (IsUnmanagedStruct(t)) return "this use needs a struct value where BPF only has registers";
        return "BPF has no representation for it";
    }

    private static string Fix(ITypeSymbol t)
    {
        if (t.SpecialType == SpecialType.System_String) return "use a fixed-size byte buffer";
        if (t.IsRefLikeType)
        {
            string element = t is INamedTypeSymbol { TypeArguments.Length: 1 } g ? g.TypeArguments[0].ToDisplayString() : "T";
            return $"use a pointer ({element}* p = stackalloc {element}[n]) or an [InlineArray] struct (foreach works over it)";
        }
        if (t.IsReferenceType) return "use an unmanaged struct (a local, a map value), an integer or a pointer";
        if (t is INamedTypeSymbol { TypeKind: TypeKind.Struct, IsUnmanagedType: false }) return "keep only integer, enum, pointer, fixed-buffer and unmanaged struct fields in it";
        if (IsUnmanagedStruct(t)) return "pass it by pointer or ref";
        return "use integers, bool, enums, unmanaged structs or pointers";
    }

    private static string KindName(ITypeSymbol t) => t.TypeKind switch
    {
        TypeKind.Interface => "an interface",
        TypeKind.Array => "an array",
        TypeKind.Delegate => "a delegate",
        _ => "a class",
    };
}
