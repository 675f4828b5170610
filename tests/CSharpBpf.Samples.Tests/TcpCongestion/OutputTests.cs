using System.Linq;
using System.Xml.Linq;
using TcpCongestion.Output;
using TcpCongestion.Simulation;
using Xunit;

namespace CSharpBpf.Samples.Tests.TcpCongestion;

public sealed class OutputTests
{
    private static FlowTrace Sawtooth()
    {
        var t = new FlowTrace { DurationUs = 4_000_000, MaxCwnd = 80 };
        t.Points.Add(new TracePoint(0, 10, TcpConstants.InfiniteSsthresh, CaState.Open, 0));
        t.Points.Add(new TracePoint(1_000_000, 80, TcpConstants.InfiniteSsthresh, CaState.Open, 80));
        t.Points.Add(new TracePoint(2_000_000, 40, 40, CaState.Recovery, 40));
        t.Points.Add(new TracePoint(3_000_000, 60, 40, CaState.Open, 60));
        t.Events.Add(new FlowEvent(2_000_000, "loss detected", 80, 80, 40));
        return t;
    }

    [Fact]
    public void Sparkline_has_one_block_per_slice_scaled_to_the_largest_cwnd()
    {
        string s = Sparkline.Render(Sawtooth().Points, 4_000_000, 8);
        Assert.Equal(8, s.Length);
        Assert.Equal('▁', s[0]);             // cwnd 10 of 80
        Assert.Equal('█', s[2]);             // cwnd 80: the top block
        Assert.Equal(new uint[] { 10, 80, 80, 40, 40, 60, 60, 60 }, Sparkline.Sample(Sawtooth().Points, 4_000_000, 8));
    }

    [Fact]
    public void Svg_is_well_formed_with_a_cwnd_curve_and_an_ssthresh_curve_that_skips_infinity()
    {
        string svg = SvgChart.Render(Sawtooth(), "a <test> & more", 30, 20);
        var doc = XDocument.Parse(svg);
        var lines = doc.Descendants().Where(e => e.Name.LocalName == "polyline").ToList();
        Assert.Equal(2, lines.Count);
        // ssthresh is infinite for the first two points: its curve starts at the loss.
        int ssthreshVertices = lines[1].Attribute("points")!.Value.Split(' ').Length;
        Assert.Equal(4, ssthreshVertices);
        Assert.Contains("a &lt;test&gt; &amp; more", svg);
    }
}
