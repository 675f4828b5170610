using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using CSharpBpf.Compiler.Diagnostics;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>
/// BPF2004: what the kernel accepts as a global function (BTF FUNC linkage global), which it verifies on
/// its own from its BTF signature (btf_prepare_func_args): at most 5 arguments, each an integer, an enum or
/// a pointer to a sized type (checked as possibly-null memory of that size; a pointer to the program's
/// context type as the context), and an integer or enum return. Anything else makes the kernel refuse the
/// whole object at load, so it is refused here, at the parameter or return type that causes it.
/// </summary>
internal static class GlobalSignatures
{
    public static bool IsGlobal(IMethodSymbol m) =>
        m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownSymbols.Namespace + ".GlobalAttribute");

    public static IEnumerable<DiagnosticInfo> Check(IMethodSymbol m)
    {
        var decl = m.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        foreach (var p in m.Parameters)
        {
            if (Refusal(p) is not { } why) continue;
            var syntax = p.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<ParameterSyntax>().FirstOrDefault();
            var location = syntax?.Type is { } type
                ? Location.Create(type.SyntaxTree, TextSpan.FromBounds(syntax.Modifiers.Count > 0 ? syntax.Modifiers[0].SpanStart : type.SpanStart, type.Span.End))
                : p.Locations.FirstOrDefault(); // a ref parameter's span includes its ref/out/in

            yield return DiagnosticInfo.Create(BpfDiagnostics.GlobalSignature, location, m.Name, why.What, why.Fix);
        }
        if (ReturnRefusal(m) is { } ret)
            yield return DiagnosticInfo.Create(BpfDiagnostics.GlobalSignature, decl?.ReturnType.GetLocation() ?? m.Locations.FirstOrDefault(), m.Name, ret.What, ret.Fix);
    }

    /// <summary>Why the kernel refuses parameter <paramref name="p"/> of a global function, or null when it accepts it.</summary>
    public static (string What, string Fix)? Refusal(IParameterSymbol p)
    {
        var t = p.Type;
        string type = t.ToDisplayString();
        if (MapBindings.IsMapParameter(p))
            return ($"takes map parameter '{p.Name}'", "use the [Map] field inside the function instead (maps are bound at compile time, and only helper methods that are not [Global] can take one)");
        if (p.RefKind != RefKind.None)
            return ($"takes parameter '{p.Name}' as '{RefKindName(p.RefKind)} {type}'",
                    $"pass a pointer instead: {type}* {p.Name}, and test it against null before use (the verifier treats a global function's pointer arguments as possibly null, which a {RefKindName(p.RefKind)} parameter cannot be tested for)");
        if (IsScalar(t)) return null;
        if (t is IPointerTypeSymbol ptr)
            return ptr.PointedAtType.SpecialType == SpecialType.System_Void
                ? ($"takes '{p.Name}' as void*", "point to a sized type (byte*, a struct*): the verifier checks the memory behind a global function's pointer argument by its size")
                : null;
        if (UnsupportedTypes.IsUnmanagedStruct(t))
            return ($"takes struct '{type}' by value (parameter '{p.Name}')", $"pass '{type}' by pointer: {type}* {p.Name}, and test it against null before use");
        return ($"takes parameter '{p.Name}' of type '{type}'", "use an integer, an enum or a pointer to a sized type");
    }

    private static (string What, string Fix)? ReturnRefusal(IMethodSymbol m)
    {
        if (m.ReturnsVoid) return ("returns void", "return int, not void: return 0 where it returned nothing");
        var t = m.ReturnType;
        if (m.ReturnsByRef || m.ReturnsByRefReadonly) return ($"returns '{t.ToDisplayString()}' by ref", "return an integer; write results through a pointer parameter");
        if (IsScalar(t)) return null;
        if (t is IPointerTypeSymbol) return ($"returns a pointer ({t.ToDisplayString()})", "return an integer; write results through a pointer parameter");
        if (UnsupportedTypes.IsUnmanagedStruct(t))
            return ($"returns struct '{t.ToDisplayString()}' by value", $"return an integer and write the struct through a parameter: {t.ToDisplayString()}* result");
        return ($"returns '{t.ToDisplayString()}'", "return an integer or an enum");
    }

    private static bool IsScalar(ITypeSymbol t) => TypeMapper.Primitive(t) is not null || t.TypeKind == TypeKind.Enum;

    private static string RefKindName(RefKind k) => k switch
    {
        RefKind.Out => "out",
        RefKind.In => "in",
        _ => "ref",
    };
}
