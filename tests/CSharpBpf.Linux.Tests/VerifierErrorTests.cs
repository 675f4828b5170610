using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Programs;
using CSharpBpf.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CSharpBpf.Linux.Tests;

[Collection("kernel")]
public sealed class VerifierErrorTests
{
    private readonly ITestOutputHelper _out;

    public VerifierErrorTests(ITestOutputHelper output) => _out = output;

    [SkippableFact]
    public void A_rejected_object_program_names_its_source_line_through_line_info()
    {
        KernelSkip.UnlessBpfAllowed();
        var ex = Assert.Throws<BpfProgramLoadException>(() => BpfObject.Load(Fixtures.Linux("verifier_reject.bpf.o")));
        _out.WriteLine(ex.Message);
        Assert.Equal("unchecked_lookup", ex.ProgramName);
        Assert.Equal(Native.Errno.EACCES, ex.Errno);
        Assert.Contains("invalid mem access 'map_value_or_null'", ex.VerifierLog);
        Assert.Contains("verifier_reject.bpf.c:20: *v += 1;", ex.AnnotatedLog);
    }
}
