using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Compiler.Frontend.Kernel;

/// <summary>Recognises kfunc declarations and the program kinds whose context is the argument array.</summary>
internal static class KfuncCalls
{
    public const string AttributeName = "KfuncAttribute";

    public static bool IsKfunc(IMethodSymbol m) => Attribute(m) is not null && m.IsStatic;

    /// <summary>The kernel function's name: [Kfunc(Name = "...")] or the method's name.</summary>
    public static string KernelName(IMethodSymbol m) =>
        Attribute(m)?.NamedArguments.FirstOrDefault(kv => kv.Key == "Name").Value.Value as string ?? m.Name;

    private static AttributeData? Attribute(IMethodSymbol m) =>
        m.OriginalDefinition.GetAttributes().FirstOrDefault(a => a.AttributeClass is { Name: AttributeName } c
            && c.ContainingNamespace?.ToDisplayString() == KnownSymbols.Namespace);

    /// <summary>Sections whose programs receive the traced/implemented function's arguments as u64 ctx[i].</summary>
    public static bool HasArgumentArrayContext(string? section) =>
        section is not null && (section.StartsWith("struct_ops/", StringComparison.Ordinal)
            || section.StartsWith("fentry/", StringComparison.Ordinal) || section.StartsWith("fexit/", StringComparison.Ordinal)
            || section.StartsWith("fmod_ret/", StringComparison.Ordinal) || section.StartsWith("tp_btf/", StringComparison.Ordinal)
            || section.StartsWith("raw_tp/", StringComparison.Ordinal));
}
