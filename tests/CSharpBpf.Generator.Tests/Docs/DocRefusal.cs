using System.Linq;
using CSharpBpf.TestSupport.Docs;
using Xunit;

namespace CSharpBpf.Generator.Tests.Docs;

/// <summary>
/// A <c>// refused: BPFnnnn</c> block must get exactly that id and no other BPF diagnostic. BPF1005 (the verifier's
/// refusal, reported by the analyzers from the same managed verifier) means: compiles cleanly, then a program is
/// rejected, with the verifier code named after the id when the marker gives one.
/// </summary>
public static class DocRefusal
{
    public static void AssertRefused(DocCodeBlock block)
    {
        var outcome = DocExampleRunner.Build(block);
        var ids = outcome.BpfDiagnostics.Select(d => d.Id).Distinct().ToList();
        if (block.ExpectedId == "BPF1005")
        {
            Assert.True(ids.Count == 0, $"{block}: expected to compile and be refused by the verifier, but the build reported:\n{outcome.Describe()}");
            var rejected = outcome.Verification.Where(v => !v.Result.IsAccepted).SelectMany(v => v.Result.Errors).ToList();
            Assert.True(rejected.Count > 0, $"{block}: expected a verifier rejection (BPF1005), but every program verified");
            if (block.ExpectedCode is { } code)
                Assert.True(rejected.Any(e => e.Code == code), $"{block}: expected verifier code {code}, got:\n{outcome.Describe()}");
            return;
        }
        Assert.True(ids.Count == 1 && ids[0] == block.ExpectedId,
            $"{block}: expected exactly {block.ExpectedId}, got [{string.Join(", ", ids)}]:\n{outcome.Describe()}");
    }
}
