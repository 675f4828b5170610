using System.IO;
using System.Linq;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using CSharpBpf.Verifier;
using Xunit;

namespace CSharpBpf.Verifier.Tests;

public class FixtureRejectTests
{
    [Fact]
    public void Missing_null_check_in_clang_object_is_reported_at_the_C_line()
    {
        var obj = BpfObjectFile.Read(File.ReadAllBytes(RepoPaths.Fixture("linux/verifier_reject.bpf.o")));
        var r = Assert.Single(BpfVerifier.VerifyObject(obj));
        Assert.False(r.IsAccepted);
        var e = r.Errors[0];
        Assert.Equal(VerifierErrorCodes.NullMapValue, e.Code);
        Assert.Contains("null", e.Message);
        Assert.NotNull(e.Source);
        Assert.EndsWith("verifier_reject.bpf.c", e.Source!.FileName);
        Assert.Contains("*v += 1", e.Source.LineText);
    }
}
