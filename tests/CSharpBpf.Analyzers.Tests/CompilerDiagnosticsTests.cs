using System.Linq;
using Xunit;

namespace CSharpBpf.Analyzers.Tests;

/// <summary>BpfClassAnalyzer reports the compiler's diagnostics at their exact C# spans.</summary>
public class CompilerDiagnosticsTests
{
    [Fact]
    public void CleanClass_HasNoBpfDiagnostics()
    {
        Assert.Empty(AnalyzerHarness.AnalyzeBpf(Sources.Clean));
    }

    [Fact]
    public void NullDereference_IsBpf1002_AtTheDereference()
    {
        var d = Assert.Single(AnalyzerHarness.AnalyzeBpf(Sources.NullDeref));
        Assert.Equal("BPF1002", d.Id);
        Assert.Equal("*n", AnalyzerHarness.SpanText(d));
        Assert.True(d.Location.IsInSource);
        Assert.Equal(11, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Contains("'n' may be null", d.GetMessage());
    }

    [Fact]
    public void Allocation_IsBpf0001_AtTheNewExpression()
    {
        var d = Assert.Single(AnalyzerHarness.AnalyzeBpf(Sources.Allocation));
        Assert.Equal("BPF0001", d.Id);
        Assert.Equal("new int[4]", AnalyzerHarness.SpanText(d));
    }

    [Fact]
    public void WrongProgramSignature_IsBpf2002()
    {
        var d = Assert.Single(AnalyzerHarness.AnalyzeBpf(Sources.WrongSignature));
        Assert.Equal("BPF2002", d.Id);
        Assert.Equal("Run", AnalyzerHarness.SpanText(d));
    }

    [Fact]
    public void NonBpfClass_IsNotAnalyzed()
    {
        const string plain = "public static class Plain { public static object Make() => new object(); }";
        Assert.Empty(AnalyzerHarness.AnalyzeBpf(Sources.Header + plain));
    }
}
