using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend;

namespace CSharpBpf.Generator;

/// <summary>
/// Compiles every class holding BPF programs to an ELF object at build time and adds its skeleton.
/// One ForAttributeWithMetadataName pipeline per program attribute finds the classes; each class
/// becomes an equatable <see cref="BpfClassInput"/> (name + fingerprint), so the lowering step
/// ("Lower") re-runs only for classes whose inputs changed. Never throws: failures are diagnostics.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class BpfGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps (the incrementality tests read them).</summary>
    public const string ClassesStep = "BpfClasses";
    public const string LowerStep = "Lower";
    public const string RuntimesStep = "Runtimes";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableArray<BpfClassInput>>? all = null;
        foreach (var attribute in KnownSymbols.ProgramAttributeNames)
        {
            var perMethod = context.SyntaxProvider.ForAttributeWithMetadataName(
                attribute,
                predicate: static (node, _) => node is MethodDeclarationSyntax,
                transform: static (ctx, ct) => InputFor(ctx, ct))
                .Where(static x => x is not null)
                .Select(static (x, _) => x!)
                .Collect();
            all = all is null ? perMethod : all.Value.Combine(perMethod).Select(static (p, _) => p.Left.AddRange(p.Right));
        }
        // kernelkinds: [StructOps] marks the class itself (its methods implement the ops members by name)
        var structOpsClasses = context.SyntaxProvider.ForAttributeWithMetadataName(
                "CSharpBpf.StructOpsAttribute",
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => InputFor(ctx, ct))
            .Where(static x => x is not null)
            .Select(static (x, _) => x!)
            .Collect();
        all = all!.Value.Combine(structOpsClasses).Select(static (p, _) => p.Left.AddRange(p.Right));

        var classes = all!.Value
            .SelectMany(static (inputs, _) => inputs
                .GroupBy(i => i.MetadataName)
                .Select(g => g.First())
                .OrderBy(i => i.MetadataName, StringComparer.Ordinal)
                .ToImmutableArray())
            .WithTrackingName(ClassesStep);

        var compiled = classes
            .Select(static (input, ct) => Lower(input, ct))
            .WithTrackingName(LowerStep);

        // CSharpBpf.Analyzers reports the same diagnostics at in-source spans when it runs; its build file says so
        // through this option, and then the generator stays quiet so nothing is reported twice.
        var analyzerReports = context.AnalyzerConfigOptionsProvider.Select(static (o, _) =>
            o.GlobalOptions.TryGetValue(AnalyzersReportOption, out var v) && string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));

        // Which runtimes (VM, kernel loader) the compilation references decides which entry points the skeleton gets.
        // Its own step over the reference list: a source edit yields an equal value, so it re-emits nothing, and it
        // joins after "Lower", so adding a reference re-emits the skeletons without re-lowering them.
        var runtimes = context.CompilationProvider
            .Select(static (c, _) => SkeletonRuntimes.Detect(c))
            .WithTrackingName(RuntimesStep);

        context.RegisterSourceOutput(compiled.Combine(runtimes).Combine(analyzerReports),
            static (spc, p) => Emit(spc, p.Left.Left, p.Left.Right, reportDiagnostics: !p.Right));
    }

    /// <summary>Set (true) by CSharpBpf.Analyzers' build file when the analyzers run in this compilation.</summary>
    public const string AnalyzersReportOption = "build_property.CSharpBpfAnalyzersReport";

    private static BpfClassInput? InputFor(GeneratorAttributeSyntaxContext ctx, CancellationToken ct)
    {
        var type = ctx.TargetSymbol as INamedTypeSymbol ?? (ctx.TargetSymbol as IMethodSymbol)?.ContainingType;
        if (type is null) return null;
        try
        {
            return new BpfClassInput(MetadataNameOf(type), ClassFingerprint.Compute(type, ctx.SemanticModel.Compilation, ct), ctx.SemanticModel.Compilation);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            // an unstable fingerprint only costs a re-lowering; the compile step reports real problems
            return new BpfClassInput(MetadataNameOf(type), "unfingerprinted:" + e.GetType().Name + Guid.NewGuid(), ctx.SemanticModel.Compilation);
        }
    }

    private static string MetadataNameOf(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (var t = type; t is not null; t = t.ContainingType) parts.Insert(0, t.MetadataName);
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + string.Join("+", parts);
    }

    private static CompiledBpfClass Lower(BpfClassInput input, CancellationToken ct)
    {
        var symbol = input.ResolveSymbol();
        if (symbol is null)
        {
            var info = DiagnosticInfo.Create(BpfDiagnostics.InternalError, null, input.MetadataName, "the class could not be resolved in the compilation");
            return new CompiledBpfClass("", input.MetadataName, "internal", EquatableArray<byte>.Empty,
                EquatableArray<ProgramDescription>.Empty, EquatableArray<MapDescription>.Empty, new EquatableArray<DiagnosticInfo>(new[] { info }));
        }
        return BpfClassCompiler.Compile(input.Compilation, symbol, ct);
    }

    private static void Emit(SourceProductionContext spc, CompiledBpfClass c, SkeletonRuntimes runtimes, bool reportDiagnostics)
    {
        if (reportDiagnostics)
            foreach (var d in c.Diagnostics) spc.ReportDiagnostic(d.ToDiagnostic());
        if (c.HasErrors) return;
        try
        {
            spc.AddSource(SkeletonWriter.HintName(c), SkeletonWriter.Write(c, runtimes));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            spc.ReportDiagnostic(Diagnostic.Create(BpfDiagnostics.InternalError, Location.None, c.ClassName, "skeleton: " + e.Message));
        }
    }
}
