using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CSharpBpf.Analyzers.Tests;

/// <summary>
/// Compiles in-memory sources against the CSharpBpf API and runs analyzers (CompilationWithAnalyzers),
/// optionally after the generator, the way the command-line compiler does.
/// </summary>
public static class AnalyzerHarness
{
    public const string FilePath = "/src/Prog.cs";

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator)
            .Where(p => p.Length > 0)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(CSharpBpf.XdpAttribute).Assembly.Location))
            .ToArray());

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static IReadOnlyList<MetadataReference> MetadataReferences => References.Value;

    public static CSharpCompilation Compilation(string text) =>
        CSharpCompilation.Create("AnalyzerTest",
            new[] { CSharpSyntaxTree.ParseText(text, ParseOptions, FilePath) },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The analyzer's and the compiler's diagnostics (suppressed ones flagged), sorted by position.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null,
            concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzers), options);
        return withAnalyzers.GetAllDiagnosticsAsync(CancellationToken.None).Result
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id).ToImmutableArray();
    }

    public static ImmutableArray<Diagnostic> AnalyzeBpf(string text) =>
        Analyze(Compilation(text), new BpfClassAnalyzer()).Where(d => d.Id.StartsWith("BPF", StringComparison.Ordinal)).ToImmutableArray();

    /// <summary>The exact source text a diagnostic points at.</summary>
    public static string SpanText(Diagnostic d) => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan);
}
