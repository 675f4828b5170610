using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using CSharpBpf.Verifier;
using Xunit;

namespace CSharpBpf.Verifier.Tests;

/// <summary>Every clang-built fixture program of a modelled type is accepted, as the kernel accepts it.</summary>
public class FixtureAcceptanceTests
{
    /// <summary>Fixtures the kernel refuses on purpose (tested in <see cref="FixtureRejectTests"/>).</summary>
    private static readonly HashSet<string> KernelRejects = new() { "linux/verifier_reject.bpf.o" };

    public static IEnumerable<object[]> Objects()
    {
        foreach (var f in Directory.GetFiles(RepoPaths.Fixtures, "*.bpf.o").Concat(Directory.GetFiles(Path.Combine(RepoPaths.Fixtures, "linux"), "*.bpf.o"))
                     .Concat(Directory.GetFiles(Path.Combine(RepoPaths.Fixtures, "linux", "compiled"), "*.bpf.o")).OrderBy(x => x))
        {
            string rel = Path.GetRelativePath(RepoPaths.Fixtures, f).Replace('\\', '/');
            if (!KernelRejects.Contains(rel)) yield return new object[] { rel };
        }
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Every_modelled_program_is_accepted(string fixture)
    {
        var obj = BpfObjectFile.Read(File.ReadAllBytes(RepoPaths.Fixture(fixture)));
        var results = BpfVerifier.VerifyObject(obj);
        foreach (var r in results)
            Assert.True(r.IsAccepted, $"{fixture}: {r}");
    }

    [Fact]
    public void The_fixtures_cover_every_program_kind_the_brief_names()
    {
        var kinds = new HashSet<string>();
        foreach (var row in Objects())
        {
            var obj = BpfObjectFile.Read(File.ReadAllBytes(RepoPaths.Fixture((string)row[0])));
            foreach (var r in BpfVerifier.VerifyObject(obj))
                kinds.Add(obj.FindFunction(r.ProgramName)!.SectionName.Split('/')[0]);
        }
        foreach (var k in new[] { "xdp", "socket", "cgroup_skb", "sockops", "struct_ops", "cgroup" })
            Assert.Contains(k, kinds);
    }
}
