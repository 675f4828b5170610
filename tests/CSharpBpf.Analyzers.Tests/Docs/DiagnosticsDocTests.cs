using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Generator;
using CSharpBpf.TestSupport.Docs;
using CSharpBpf.Verifier;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CSharpBpf.Analyzers.Tests.Docs;

/// <summary>
/// Keeps docs/DIAGNOSTICS.md in step with the code: every id the compiler defines (BpfDiagnostics, by reflection)
/// and every id the analyzers assembly supports (SupportedDiagnostics, SupportedSuppressions) has a <c>### ID</c>
/// section and no section names an id that is gone; each section has a <c>// refused: ID</c> example, built with
/// the source generator (BPF1005: the analyzer, which runs the managed verifier) and refused with exactly that id,
/// or says why it has none; the verifier's error codes match the doc's table.
/// </summary>
public class DiagnosticsDocTests
{
    private const string NoExample = "**No single-file example:**";
    private static readonly string DocPath = DocCodeBlocks.DocPath("DIAGNOSTICS.md");
    private static readonly IReadOnlyList<DocCodeBlock> Blocks = DocCodeBlocks.Read(DocPath);

    private static SortedSet<string> DefinedIds()
    {
        var ids = new SortedSet<string>(BpfDiagnosticCatalog.All.Select(d => d.Id), StringComparer.Ordinal);
        foreach (var type in typeof(BpfClassAnalyzer).Assembly.GetTypes()
                     .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract))
        {
            var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(type)!;
            foreach (var d in analyzer.SupportedDiagnostics) ids.Add(d.Id);
            if (analyzer is DiagnosticSuppressor suppressor)
                foreach (var s in suppressor.SupportedSuppressions) ids.Add(s.Id);
        }
        return ids;
    }

    [Fact]
    public void Every_defined_id_is_documented_and_every_documented_id_exists()
    {
        var defined = DefinedIds();
        var documented = DocCodeBlocks.HeadingIds(DocPath);
        var missing = defined.Except(documented).ToList();
        var stale = documented.Except(defined).ToList();
        var twice = documented.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(missing.Count + stale.Count + twice.Count == 0,
            "docs/DIAGNOSTICS.md is out of step with the code:" +
            (missing.Count > 0 ? "\n  no '### ID' section for: " + string.Join(", ", missing) : "") +
            (stale.Count > 0 ? "\n  documents ids that no longer exist: " + string.Join(", ", stale) : "") +
            (twice.Count > 0 ? "\n  documented twice: " + string.Join(", ", twice) : ""));
    }

    [Fact]
    public void Every_section_has_a_refusal_example_or_says_why_not()
    {
        var lacking = DocCodeBlocks.HeadingIds(DocPath)
            .Where(id => !Blocks.Any(b => b.Kind == DocBlockKind.Refused && b.ExpectedId == id) &&
                         !DocCodeBlocks.SectionOf(DocPath, id).Contains(NoExample))
            .ToList();
        Assert.True(lacking.Count == 0, $"sections with neither a '// refused: ID' block nor '{NoExample}': " + string.Join(", ", lacking));
        var unmarked = Blocks.Where(b => b.Kind == DocBlockKind.Unmarked).ToList();
        Assert.True(unmarked.Count == 0, "unmarked ```csharp blocks: " + string.Join(", ", unmarked));
        var misplaced = Blocks.Where(b => b.Kind == DocBlockKind.Refused && !b.Section.StartsWith(b.ExpectedId!, StringComparison.Ordinal)).ToList();
        Assert.True(misplaced.Count == 0, "refusal examples outside their id's section: " + string.Join(", ", misplaced));
    }

    [Fact]
    public void Verifier_error_codes_match_the_table()
    {
        var codes = typeof(VerifierErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).OrderBy(c => c, StringComparer.Ordinal).ToList();
        var documented = DocCodeBlocks.TableCodes(DocPath, "Verifier error codes").OrderBy(c => c, StringComparer.Ordinal).ToList();
        Assert.True(codes.Count > 20, "VerifierErrorCodes lost its codes?");
        Assert.Equal(codes, documented);
    }

    public static TheoryData<string> Refusals()
    {
        var data = new TheoryData<string>();
        foreach (var b in Blocks.Where(b => b.Kind == DocBlockKind.Refused)) data.Add(b.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refusal_example_reports_exactly_its_id(string name)
    {
        var block = Blocks.Single(b => b.Name == name);
        var compilation = AnalyzerHarness.Compilation(block.Text);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new BpfGenerator().AsSourceGenerator() }, parseOptions: AnalyzerHarness.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out _, out var generated);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
        var ids = generated.Where(d => d.Id.StartsWith("BPF", StringComparison.Ordinal)).Select(d => d.Id).Distinct().ToList();
        string Describe(IEnumerable<Diagnostic> ds) => string.Join("\n", ds.Select(d => d.ToString()));
        if (block.ExpectedId == "BPF1005")
        {
            Assert.True(ids.Count == 0, $"{block}: expected to compile and be refused by the verifier, got:\n{Describe(generated)}");
            var analyzed = AnalyzerHarness.AnalyzeBpf(block.Text);
            Assert.True(analyzed.Length > 0 && analyzed.All(d => d.Id == "BPF1005"), $"{block}: expected BPF1005 only, got:\n{Describe(analyzed)}");
            if (block.ExpectedCode is { } code)
                Assert.True(analyzed.Any(d => d.GetMessage().Contains("[" + code + "]")), $"{block}: expected verifier code {code}, got:\n{Describe(analyzed)}");
            return;
        }
        Assert.True(ids.Count == 1 && ids[0] == block.ExpectedId, $"{block}: expected exactly {block.ExpectedId}, got:\n{Describe(generated)}");
    }
}
