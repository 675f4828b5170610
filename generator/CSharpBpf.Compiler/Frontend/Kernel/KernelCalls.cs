using System.Linq;
using Microsoft.CodeAnalysis;

namespace CSharpBpf.Compiler.Frontend.Kernel;

/// <summary>Calls the kernel kinds add: [Kfunc] and [Helper(id)] declarations, SkStorageMap methods.</summary>
internal static class KernelCalls
{
    public static bool IsKernelCall(IMethodSymbol m) => KfuncCalls.IsKfunc(m) || HelperId(m) is not null || IsSkStorage(m);

    /// <summary>The helper id of a [Helper(id)] method, else null.</summary>
    public static int? HelperId(IMethodSymbol m) =>
        m.OriginalDefinition.GetAttributes().FirstOrDefault(a => a.AttributeClass is { Name: "HelperAttribute" } c
            && c.ContainingNamespace?.ToDisplayString() == KnownSymbols.Namespace)?.ConstructorArguments.FirstOrDefault().Value as int?;

    public static bool IsSkStorage(IMethodSymbol m) =>
        m.ContainingType is { MetadataName: "SkStorageMap`1" } t && KnownSymbols.IsInApiNamespace(t);
}
