using System.Collections.Generic;
using System.Linq;
using CSharpBpf.TestSupport.Docs;
using Xunit;

namespace CSharpBpf.Generator.Tests.Docs;

/// <summary>
/// Keeps docs/GUIDE.md honest: every ```csharp block is marked; each <c>// example: NAME</c> builds with no BPF
/// diagnostic and no C# error, yields an object the managed verifier accepts, and its <c>// run:</c> methods (VM
/// tests written as a user would) pass; each <c>// refused: BPFnnnn</c> block gets exactly that diagnostic.
/// </summary>
public class GuideExamplesTests
{
    private static readonly IReadOnlyList<DocCodeBlock> Blocks = DocCodeBlocks.Read(DocCodeBlocks.DocPath("GUIDE.md"));

    public static TheoryData<string> Examples() => Names(DocBlockKind.Example);
    public static TheoryData<string> Refusals() => Names(DocBlockKind.Refused);

    private static TheoryData<string> Names(DocBlockKind kind)
    {
        var data = new TheoryData<string>();
        foreach (var b in Blocks.Where(b => b.Kind == kind)) data.Add(b.Name);
        return data;
    }

    private static DocCodeBlock Block(string name) => Blocks.Single(b => b.Name == name);

    [Fact]
    public void Every_csharp_block_of_the_guide_is_a_marked_example_or_refusal_with_a_unique_name()
    {
        var unmarked = Blocks.Where(b => b.Kind == DocBlockKind.Unmarked).ToList();
        Assert.True(unmarked.Count == 0, "unmarked ```csharp blocks (first line must be '// example: NAME' or '// refused: BPFnnnn'):\n" + string.Join("\n", unmarked));
        var duplicates = Blocks.GroupBy(b => b.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "duplicate example names: " + string.Join(", ", duplicates));
        Assert.True(Blocks.Count(b => b.Kind == DocBlockKind.Example) >= 10, "the guide lost its examples");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Guide_example_builds_verifies_and_runs(string name)
    {
        var block = Block(name);
        var outcome = DocExampleRunner.Build(block);
        Assert.True(outcome.BpfDiagnostics.Count == 0 && outcome.CompileErrors.Count == 0 && !outcome.VerifierRejections.Any(),
            $"{block} does not build cleanly:\n{outcome.Describe()}");
        Assert.True(outcome.ObjectCount > 0, $"{block} produced no BPF object (no class with a program attribute?)");
        DocExampleRunner.RunMethods(block, outcome.Output);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Guide_refusal_reports_exactly_its_diagnostic(string name) => DocRefusal.AssertRefused(Block(name));
}
