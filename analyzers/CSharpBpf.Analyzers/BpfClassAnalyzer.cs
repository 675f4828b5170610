using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend;

namespace CSharpBpf.Analyzers;

/// <summary>
/// Reports, as the user types, everything the CSharpBpf compiler would refuse in a BPF class (BPF0xxx
/// unsupported C#, BPF1xxx verifier rules, BPF2xxx shapes) at its C# span, by running the same
/// <see cref="BpfClassCompiler.Compile(Compilation, INamedTypeSymbol, System.Threading.CancellationToken)"/>
/// the generator runs; when the class compiles, it runs the managed verifier on the object (BPF1005).
///
/// Who reports what (no duplicates): when this analyzer runs, it reports every BPF diagnostic and the
/// generator reports none. The analyzers' build file (build/CSharpBpf.Analyzers.targets) tells the
/// generator so through the global analyzer option <c>build_property.CSharpBpfAnalyzersReport = true</c>,
/// written after MSBuild has decided whether analyzers run in this build; where it is absent
/// (generator alone, analyzers skipped), the generator reports them itself.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BpfClassAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(BpfDiagnosticCatalog.All);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var programAttribute = start.Compilation.GetTypeByMetadataName(BpfClassDetection.ProgramAttributeMetadataName);
            if (programAttribute is null) return; // not a project that references CSharpBpf
            var structOps = start.Compilation.GetTypeByMetadataName(BpfClassDetection.StructOpsAttributeMetadataName);
            start.RegisterSymbolAction(ctx => AnalyzeClass(ctx, programAttribute, structOps), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeClass(SymbolAnalysisContext ctx, INamedTypeSymbol programAttribute, INamedTypeSymbol? structOps)
    {
        var type = (INamedTypeSymbol)ctx.Symbol;
        if (!BpfClassDetection.IsBpfClass(type, programAttribute, structOps)) return;
        var fallback = type.Locations.FirstOrDefault() ?? Location.None;
        var compiled = BpfClassCompiler.Compile(ctx.Compilation, type, ctx.CancellationToken);
        foreach (var info in compiled.Diagnostics)
            ctx.ReportDiagnostic(Diagnostic.Create(info.Descriptor, SourceSpans.ToLocation(ctx.Compilation, info, fallback),
                info.Arguments.AsArray().Cast<object>().ToArray()));
        if (compiled.HasErrors || compiled.Object.Count == 0) return;
        foreach (var d in VerifierDiagnostics.For(ctx.Compilation, type, compiled.Object.AsArray(), ctx.CancellationToken))
            ctx.ReportDiagnostic(d);
    }
}
