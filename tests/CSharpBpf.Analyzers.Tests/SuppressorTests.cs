using System.Linq;
using Xunit;

namespace CSharpBpf.Analyzers.Tests;

/// <summary>MapFieldWarningSuppressor: CS0649/CS0169 on [Map] fields are suppressed, other fields still warn.</summary>
public class SuppressorTests
{
    private const string Source = Sources.Header + """
        public static unsafe partial class Fields
        {
            [Map(MaxEntries = 4)] static ArrayMap<ulong> Used;
            [Map(MaxEntries = 4)] static ArrayMap<ulong> Unused;
            static ArrayMap<ulong> NotAMap;
            static int plain;

            [Xdp]
            static XdpAction Run(xdp_md* ctx)
            {
                ulong* n = Used.Lookup(0);
                if (n != null) *n += (ulong)NotAMap.GetHashCode();
                return XdpAction.Pass;
            }
        }
        """;

    [Fact]
    public void MapFieldWarnings_AreSuppressed_OthersAreNot()
    {
        var compilation = AnalyzerHarness.Compilation(Source);
        var raw = compilation.GetDiagnostics().Where(d => d.Id is "CS0649" or "CS0169" or "CS0414").ToList();
        // the compiler really warns on all four fields (otherwise the test proves nothing)
        Assert.Contains(raw, d => d.Id == "CS0649" && d.GetMessage().Contains("Fields.Used"));
        Assert.Contains(raw, d => d.Id == "CS0169" && d.GetMessage().Contains("Fields.Unused"));
        Assert.Contains(raw, d => d.Id == "CS0649" && d.GetMessage().Contains("Fields.NotAMap"));
        Assert.Contains(raw, d => d.Id == "CS0169" && d.GetMessage().Contains("Fields.plain"));

        var all = AnalyzerHarness.Analyze(compilation, new MapFieldWarningSuppressor());
        var fieldWarnings = all.Where(d => d.Id is "CS0649" or "CS0169" or "CS0414").ToList();
        Assert.True(Single(fieldWarnings, "Fields.Used").IsSuppressed);
        Assert.True(Single(fieldWarnings, "Fields.Unused").IsSuppressed);
        Assert.False(Single(fieldWarnings, "Fields.NotAMap").IsSuppressed);
        Assert.False(Single(fieldWarnings, "Fields.plain").IsSuppressed);
        var suppressed = Single(fieldWarnings, "Fields.Used");
        Assert.Equal("Used", AnalyzerHarness.SpanText(suppressed));
    }

    private static Microsoft.CodeAnalysis.Diagnostic Single(System.Collections.Generic.List<Microsoft.CodeAnalysis.Diagnostic> list, string field) =>
        Assert.Single(list, d => d.GetMessage().Contains(field + "'"));
}
