using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CSharpBpf.Analyzers;

/// <summary>
/// Suppresses CS0649 (never assigned), CS0169 (never used) and CS0414 (assigned but never read) on static
/// fields carrying [Map]: a map field is a handle to a BPF-side object that the compiler turns into a map
/// definition and the loader creates; C# code is never meant to assign it, so the warnings are false.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MapFieldWarningSuppressor : DiagnosticSuppressor
{
    private const string Justification = "[Map] fields are BPF maps: the loader creates them, C# never assigns them";

    public static readonly SuppressionDescriptor NeverAssigned = new("BPFSPR0649", "CS0649", Justification);
    public static readonly SuppressionDescriptor NeverUsed = new("BPFSPR0169", "CS0169", Justification);
    public static readonly SuppressionDescriptor NeverRead = new("BPFSPR0414", "CS0414", Justification);

    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } =
        ImmutableArray.Create(NeverAssigned, NeverUsed, NeverRead);

    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        var mapAttribute = context.Compilation.GetTypeByMetadataName(BpfClassDetection.MapAttributeMetadataName);
        if (mapAttribute is null) return;
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            var descriptor = diagnostic.Id switch
            {
                "CS0649" => NeverAssigned,
                "CS0169" => NeverUsed,
                "CS0414" => NeverRead,
                _ => null,
            };
            if (descriptor is null || diagnostic.Location.SourceTree is not { } tree) continue;
            var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan);
            var model = context.GetSemanticModel(tree);
            if (model.GetDeclaredSymbol(node, context.CancellationToken) is IFieldSymbol { IsStatic: true } field &&
                HasAttribute(field, mapAttribute))
                context.ReportSuppression(Suppression.Create(descriptor, diagnostic));
        }
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (var a in symbol.GetAttributes())
            if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)) return true;
        return false;
    }
}
