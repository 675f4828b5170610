using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CSharpBpf.Generator.Tests;

public class GeneratorOutputTests
{
    internal const string Counter = @"using CSharpBpf;
using CSharpBpf.Kernel;
namespace Demo;
public static unsafe partial class Counter
{
    [Map(MaxEntries = 4)] static ArrayMap<ulong> Hits;
    [Map(MaxEntries = 1024)] static HashMap<uint, long> ByLen;

    [Xdp]
    static XdpAction Count(xdp_md* ctx)
    {
        ulong* n = Hits.Lookup(0);
        if (n != null) *n += 1;
        return XdpAction.Pass;
    }

    [CgroupSkb(CgroupSkbDirection.Egress)]
    static int Egress(__sk_buff* skb)
    {
        ByLen.Update(skb->len, 1);
        return 1;
    }
}";

    [Fact]
    public void Skeleton_describes_programs_and_typed_maps_and_compiles()
    {
        var c = GeneratorHarness.Compilation(("Counter.cs", Counter));
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(c, out var output, out var diags);
        Assert.Empty(diags);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        var generated = result.GeneratedSources.Single();
        Assert.Equal("Demo.Counter.bpf.g.cs", generated.HintName);
        string text = generated.SourceText.ToString();
        Assert.Contains("public static readonly global::CSharpBpf.BpfProgramDescription Count = new global::CSharpBpf.BpfProgramDescription(\"Count\", \"xdp\", \"Xdp\"", text);
        Assert.Contains("\"cgroup_skb/egress\"", text);
        Assert.Contains("global::CSharpBpf.BpfMapDescription<uint, ulong> Hits", text);
        Assert.Contains("global::CSharpBpf.BpfMapDescription<uint, long> ByLen", text);
        Assert.Contains(SkeletonWriter.ObjectMarker + "Counter ", text);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Unsupported_code_is_reported_at_its_span_and_nothing_is_generated()
    {
        string src = Counter.Replace("if (n != null) *n += 1;", "if (n != null) *n += (ulong)new object().GetHashCode();");
        var c = GeneratorHarness.Compilation(("Counter.cs", src));
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(c, out _, out var diags);
        var d = Assert.Single(diags);
        Assert.Equal("BPF0002", d.Id); // the virtual call is the outermost problem
        Assert.Equal("Counter.cs", d.Location.GetLineSpan().Path);
        Assert.Equal("new object().GetHashCode()", src.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public void Generator_never_throws_on_broken_user_code()
    {
        // does not even compile as C# (missing type, wrong context type): the generator must stay quiet or report, not crash
        string src = Counter.Replace("ulong* n = Hits.Lookup(0);", "Missing* n = Hits.Lookup(0);").Replace("xdp_md* ctx", "int ctx");
        var c = GeneratorHarness.Compilation(("Counter.cs", src));
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(c, out _, out var diags);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
        Assert.All(diags, d => Assert.StartsWith("BPF", d.Id));
    }
}
