using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using CSharpBpf.Generator;
using Xunit;

namespace CSharpBpf.Analyzers.Tests;

/// <summary>
/// Generator and analyzer in one compilation, as csc runs them: each BPF diagnostic is reported once —
/// by the analyzer when the build says it runs (build_property.CSharpBpfAnalyzersReport = true), by the
/// generator otherwise.
/// </summary>
public class DuplicateReportTests
{
    [Theory]
    [InlineData(Sources.NullDeref, "BPF1002")]
    [InlineData(Sources.Allocation, "BPF0001")]
    [InlineData(Sources.WrongSignature, "BPF2002")]
    public void AnalyzerRunning_GeneratorStaysQuiet_EachDiagnosticOnce(string source, string id)
    {
        var (generatorDiags, analyzerDiags) = Run(source, analyzersReport: true);
        Assert.DoesNotContain(generatorDiags, d => d.Id.StartsWith("BPF"));
        var d = Assert.Single(analyzerDiags, d => d.Id.StartsWith("BPF"));
        Assert.Equal(id, d.Id);
        Assert.True(d.Location.IsInSource);
    }

    [Theory]
    [InlineData(Sources.NullDeref, "BPF1002")]
    [InlineData(Sources.Allocation, "BPF0001")]
    public void AnalyzersAbsent_GeneratorReports(string source, string id)
    {
        var (generatorDiags, _) = Run(source, analyzersReport: null);
        var d = Assert.Single(generatorDiags, d => d.Id.StartsWith("BPF"));
        Assert.Equal(id, d.Id);
        var (quiet, _) = Run(source, analyzersReport: false);
        Assert.Single(quiet, d => d.Id.StartsWith("BPF"));
    }

    [Fact]
    public void SameDiagnostic_SameSpan_FromEitherReporter()
    {
        var (fromGenerator, _) = Run(Sources.NullDeref, analyzersReport: null);
        var (_, fromAnalyzer) = Run(Sources.NullDeref, analyzersReport: true);
        var g = fromGenerator.Single(d => d.Id == "BPF1002");
        var a = fromAnalyzer.Single(d => d.Id == "BPF1002");
        Assert.Equal(g.Location.GetLineSpan(), a.Location.GetLineSpan());
        Assert.Equal(g.GetMessage(), a.GetMessage());
    }

    private static (ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Analyzer) Run(string source, bool? analyzersReport)
    {
        var compilation = AnalyzerHarness.Compilation(source);
        var options = new TestOptions(analyzersReport is { } v
            ? new Dictionary<string, string> { [BpfGenerator.AnalyzersReportOption] = v ? "true" : "false" }
            : new Dictionary<string, string>());
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new BpfGenerator().AsSourceGenerator() }, parseOptions: AnalyzerHarness.ParseOptions, optionsProvider: options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiags);
        var analyzerDiags = analyzersReport == true
            ? AnalyzerHarness.Analyze(output, new BpfClassAnalyzer()).Where(d => d.Id.StartsWith("BPF")).ToImmutableArray()
            : ImmutableArray<Diagnostic>.Empty;
        return (generatorDiags, analyzerDiags);
    }

    private sealed class TestOptions : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global;
        public TestOptions(Dictionary<string, string> values) => _global = new Options(values);
        public override AnalyzerConfigOptions GlobalOptions => _global;
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());
            private readonly Dictionary<string, string> _values;
            public Options(Dictionary<string, string> values) => _values = values;
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
        }
    }
}
