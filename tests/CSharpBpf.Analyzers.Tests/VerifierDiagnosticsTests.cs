using Xunit;

namespace CSharpBpf.Analyzers.Tests;

/// <summary>Managed-verifier refusals of compiled objects, mapped to the C# line through line_info (BPF1005).</summary>
public class VerifierDiagnosticsTests
{
    [Fact]
    public void UncheckedPacketRead_IsBpf1005_AtTheReadingLine()
    {
        var d = Assert.Single(AnalyzerHarness.AnalyzeBpf(Sources.UncheckedPacket));
        Assert.Equal("BPF1005", d.Id);
        Assert.True(d.Location.IsInSource);
        Assert.Equal(AnalyzerHarness.FilePath, d.Location.SourceTree!.FilePath);
        Assert.Equal(9, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Equal("data[0]", AnalyzerHarness.SpanText(d));
        Assert.Contains("pkt_out_of_range", d.GetMessage());
        Assert.Contains("program 'Run'", d.GetMessage());
    }

    [Fact]
    public void VerifiedProgram_HasNoBpf1005()
    {
        Assert.DoesNotContain(AnalyzerHarness.AnalyzeBpf(Sources.Clean), d => d.Id == "BPF1005");
    }
}
