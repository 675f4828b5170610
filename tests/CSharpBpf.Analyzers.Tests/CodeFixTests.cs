using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using CSharpBpf.Analyzers.CodeFixes;
using Xunit;

namespace CSharpBpf.Analyzers.Tests;

/// <summary>NullCheckCodeFix applied in an AdhocWorkspace: exact resulting text, and the result analyzes clean.</summary>
public class CodeFixTests
{
    [Fact]
    public void ReturnEarly_InsertsNullCheckAfterTheLookup()
    {
        string fixedText = Apply(Sources.NullDeref, NullCheckCodeFix.ReturnEarlyKey);
        Assert.Equal(Sources.NullDeref.Replace(
            "        ulong* n = Counts.Lookup(0);\n",
            "        ulong* n = Counts.Lookup(0);\n        if (n == null) return default;\n"), fixedText);
        Assert.Empty(AnalyzerHarness.AnalyzeBpf(fixedText));
    }

    [Fact]
    public void ReturnEarly_InVoidMethod_ReturnsWithoutValue_AfterTheAssignment()
    {
        string fixedText = Apply(Sources.NullDerefVoid, NullCheckCodeFix.ReturnEarlyKey);
        Assert.Equal(Sources.NullDerefVoid.Replace(
            "        n = Counts.Lookup(key);\n",
            "        n = Counts.Lookup(key);\n        if (n == null) return;\n"), fixedText);
        Assert.Empty(AnalyzerHarness.AnalyzeBpf(fixedText));
    }

    [Fact]
    public void Guard_WrapsTheDereference()
    {
        string fixedText = Apply(Sources.NullDeref, NullCheckCodeFix.GuardKey);
        Assert.Equal(Sources.NullDeref.Replace(
            "        *n += 1;\n",
            "        if (n != null)\n        {\n            *n += 1;\n        }\n"), fixedText);
        Assert.Empty(AnalyzerHarness.AnalyzeBpf(fixedText));
    }

    [Fact]
    public void Guard_IsNotOffered_ForADeclaration()
    {
        string source = Sources.NullDeref.Replace("*n += 1;", "ulong v = *n;");
        var titles = Actions(source).Select(a => a.EquivalenceKey).ToList();
        Assert.Equal(new[] { NullCheckCodeFix.ReturnEarlyKey }, titles);
    }

    private static string Apply(string source, string equivalenceKey)
    {
        var (document, actions) = ActionsFor(source);
        var action = Assert.Single(actions, a => a.EquivalenceKey == equivalenceKey);
        var operations = action.GetOperationsAsync(CancellationToken.None).Result;
        var apply = Assert.Single(operations.OfType<ApplyChangesOperation>());
        var changed = apply.ChangedSolution.GetDocument(document.Id)!;
        return changed.GetTextAsync().Result.ToString();
    }

    private static List<CodeAction> Actions(string source) => ActionsFor(source).Actions;

    private static (Document Document, List<CodeAction> Actions) ActionsFor(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Fix", "Fix", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true),
            parseOptions: AnalyzerHarness.ParseOptions,
            metadataReferences: AnalyzerHarness.MetadataReferences));
        var document = workspace.AddDocument(DocumentInfo.Create(DocumentId.CreateNewId(project.Id), "Prog.cs",
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(source), VersionStamp.Default)), filePath: AnalyzerHarness.FilePath));
        var compilation = document.Project.GetCompilationAsync().Result!;
        var diagnostic = Assert.Single(AnalyzerHarness.Analyze(compilation, new BpfClassAnalyzer()), d => d.Id == "BPF1002");
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
        new NullCheckCodeFix().RegisterCodeFixesAsync(context).Wait();
        return (document, actions);
    }
}
