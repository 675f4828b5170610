using System.IO;
using System.Linq;
using CSharpBpf.TestSupport;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CSharpBpf.Generator.Tests.KernelKinds;

/// <summary>The generator finds [StructOps] classes (a class attribute, not a method one) and writes their skeleton and object.</summary>
public sealed class StructOpsGeneratorTests
{
    [Fact]
    public void A_struct_ops_class_gets_a_skeleton_listing_its_member_programs()
    {
        string reno = File.ReadAllText(RepoPaths.Fixture(Path.Combine("kernelkinds", "CsReno.cs")));
        var c = GeneratorHarness.Compilation(("CsReno.cs", reno));
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(c, out var output, out var diags);
        Assert.Empty(diags);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        var generated = Assert.Single(result.GeneratedSources);
        Assert.Equal("KernelKinds.CsReno.bpf.g.cs", generated.HintName);
        string text = generated.SourceText.ToString();
        Assert.Contains("\"struct_ops/cong_avoid\"", text);
        Assert.Contains("\"struct_ops/undo_cwnd\"", text);
        Assert.Contains(SkeletonWriter.ObjectMarker + "CsReno ", text);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void A_wrong_struct_ops_signature_is_reported_by_the_generator()
    {
        const string src = @"using CSharpBpf;
using CSharpBpf.Kernel;
namespace Demo;
[StructOps(""tcp_congestion_ops"", Name = ""bad"")]
public static unsafe partial class Bad
{
    static uint ssthresh(sock* sk, uint extra) => 2;
}";
        var c = GeneratorHarness.Compilation(("Bad.cs", src));
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(c, out _, out var diags);
        Assert.Contains(diags, d => d.Id == "BPF2102");
    }
}
