using System.Linq;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Analyzers;

/// <summary>
/// Which classes the analyzer compiles: those the compiler treats as BPF classes — a method carrying a
/// program attribute (any subclass of CSharpBpf.BpfProgramAttribute) or a [StructOps] class attribute.
/// </summary>
internal static class BpfClassDetection
{
    public const string ProgramAttributeMetadataName = "CSharpBpf.BpfProgramAttribute";
    public const string StructOpsAttributeMetadataName = "CSharpBpf.StructOpsAttribute";
    public const string MapAttributeMetadataName = "CSharpBpf.MapAttribute";

    public static bool IsBpfClass(INamedTypeSymbol type, INamedTypeSymbol programAttribute, INamedTypeSymbol? structOpsAttribute)
    {
        if (type.TypeKind != TypeKind.Class) return false;
        if (structOpsAttribute is not null &&
            type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, structOpsAttribute)))
            return true;
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method) continue;
            foreach (var a in method.GetAttributes())
                for (var t = a.AttributeClass; t is not null; t = t.BaseType)
                    if (SymbolEqualityComparer.Default.Equals(t, programAttribute)) return true;
        }
        return false;
    }
}
