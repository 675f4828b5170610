using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Analyzers.Tests;

/// <summary>
/// The repository's C# BPF programs (which load in the kernel) must analyze clean: no compiler diagnostic and
/// no managed-verifier refusal (a BPF1005 here would be a false positive the user would see as they type).
/// </summary>
public class RepositoryProgramsTests
{
    [Theory]
    [InlineData("samples/PacketFilter/UdpFilter.cs")]
    [InlineData("tests/fixtures/linux/compiled/XdpTwin.cs")]
    [InlineData("tests/fixtures/linux/compiled/SkbTwin.cs")]
    [InlineData("tests/fixtures/kernelkinds/CsReno.cs")]
    [InlineData("tests/fixtures/kernelkinds/XdpRedirect.cs")]
    [InlineData("tests/fixtures/kernelkinds/CookieCount.cs")]
    [InlineData("tests/fixtures/kernelkinds/SockOpsMark.cs")]
    [InlineData("tests/fixtures/kernelkinds/SysctlSockopt.cs")]
    [InlineData("tests/fixtures/kernelkinds/SkbStorage.cs")]
    public void Program_AnalyzesClean(string relativePath)
    {
        string text = File.ReadAllText(Path.Combine(RepoPaths.Root, relativePath));
        var compilation = AnalyzerHarness.Compilation(text);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var bpf = AnalyzerHarness.AnalyzeBpf(text);
        Assert.True(bpf.IsEmpty, string.Join("\n", bpf.Select(d => d.ToString())));

        // and the clean result is the verifier's verdict, not a swallowed verifier failure: run it directly
        foreach (var type in compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes()
                     .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>()
                     .Select(c => (INamedTypeSymbol)compilation.GetSemanticModel(t).GetDeclaredSymbol(c)!)))
        {
            var compiled = CSharpBpf.Compiler.Frontend.BpfClassCompiler.Compile(compilation, type);
            if (compiled.Object.Count == 0) continue;
            var results = CSharpBpf.Verifier.BpfVerifier.VerifyObject(CSharpBpf.Object.Objects.BpfObjectFile.Read(compiled.Object.AsArray()));
            Assert.NotEmpty(results);
            Assert.All(results, r => Assert.True(r.IsAccepted, r.ToString()));
        }
    }
}
