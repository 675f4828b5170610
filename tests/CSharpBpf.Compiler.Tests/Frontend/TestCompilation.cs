using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Ir;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Frontend;

/// <summary>Builds Roslyn compilations of test C# against the CSharpBpf user API and runs the frontend on them.</summary>
public static class TestCompilation
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator)
            .Where(p => p.Length > 0)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(CSharpBpf.XdpAttribute).Assembly.Location))
            .ToArray());

    public const string Usings = "using System;\nusing System.Linq;\nusing CSharpBpf;\nusing CSharpBpf.Kernel;\n";

    public static CSharpCompilation Create(params (string Path, string Text)[] sources)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, new CSharpParseOptions(LanguageVersion.Latest), s.Path));
        var c = CSharpCompilation.Create("BpfTest", trees, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        var errors = c.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "test source does not compile as C#:\n" + string.Join("\n", errors));
        return c;
    }

    public static CSharpCompilation Create(string source) => Create(("Test.cs", Usings + source));

    public static INamedTypeSymbol Class(Compilation c, string name) =>
        c.GetSymbolsWithName(name, SymbolFilter.Type).OfType<INamedTypeSymbol>().Single();

    /// <summary>Frontend diagnostics for class <paramref name="className"/> of <paramref name="source"/>.</summary>
    public static List<DiagnosticInfo> Diagnose(string source, string className = "P")
    {
        var c = Create(source);
        var diags = new List<DiagnosticInfo>();
        BpfClassCompiler.LowerToIr(c, Class(c, className), diags);
        return diags;
    }

    /// <summary>Lowers and asserts there were no diagnostics.</summary>
    public static IrModule Lower(string source, string className = "P")
    {
        var c = Create(source);
        var diags = new List<DiagnosticInfo>();
        var r = BpfClassCompiler.LowerToIr(c, Class(c, className), diags);
        Assert.True(diags.Count == 0, "unexpected diagnostics:\n" + string.Join("\n", diags));
        IrValidator.Validate(r!.Value.Module);
        return r!.Value.Module;
    }

    /// <summary>The source text a diagnostic points at.</summary>
    public static string SpanText(string source, DiagnosticInfo d) =>
        (Usings + source).Substring(d.Span.Start, d.Span.Length);
}
