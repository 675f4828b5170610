using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using TcpCongestion.Simulation;

namespace TcpCongestion.Output;

/// <summary>An SVG line chart of cwnd and ssthresh (segments) over time, with loss moments marked.</summary>
public static class SvgChart
{
    private const int Width = 900, Height = 360, Left = 60, Right = 20, Top = 30, Bottom = 40;

    public static string Render(FlowTrace trace, string title, double bdpPackets, int queuePackets)
    {
        var points = trace.Points;
        long duration = Math.Max(1, trace.DurationUs);
        // ssthresh is "infinite" before the first loss: plot only finite values, and scale to what is drawn.
        double yMax = Math.Max(trace.MaxCwnd, bdpPackets + queuePackets) * 1.1;
        foreach (var p in points) if (p.Ssthresh < TcpConstants.InfiniteSsthresh) yMax = Math.Max(yMax, p.Ssthresh * 1.1);
        yMax = Math.Max(yMax, 10);
        double X(long t) => Left + (Width - Left - Right) * (double)t / duration;
        double Y(double v) => Height - Bottom - (Height - Top - Bottom) * v / yMax;

        var svg = new StringBuilder();
        svg.AppendLine(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.AppendLine("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        svg.AppendLine(Inv($"<text x=\"{Left}\" y=\"18\" font-size=\"14\">{Escape(title)}</text>"));
        // axes and grid
        for (int i = 0; i <= 5; i++)
        {
            double v = yMax * i / 5, y = Y(v);
            svg.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>"));
            svg.AppendLine(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{v:F0}</text>"));
        }
        for (int i = 0; i <= 10; i++)
        {
            long t = duration * i / 10;
            double x = X(t);
            svg.AppendLine(Inv($"<text x=\"{x:F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{t / 1e6:0.#}s</text>"));
        }
        svg.AppendLine(Inv($"<text x=\"14\" y=\"{(Top + Height - Bottom) / 2}\" transform=\"rotate(-90 14 {(Top + Height - Bottom) / 2})\" text-anchor=\"middle\">segments</text>"));
        // the pipe: bandwidth-delay product, and BDP + queue (beyond it the queue overflows)
        Guide(svg, Y(bdpPackets), "BDP", "#8a8");
        Guide(svg, Y(bdpPackets + queuePackets), "BDP + queue", "#c88");
        // loss moments
        foreach (var e in trace.Events)
            if (e.What.StartsWith("loss", StringComparison.Ordinal) || e.What.StartsWith("retransmission", StringComparison.Ordinal))
                svg.AppendLine(Inv($"<line x1=\"{X(e.TimeUs):F1}\" y1=\"{Top}\" x2=\"{X(e.TimeUs):F1}\" y2=\"{Height - Bottom}\" stroke=\"#f99\" stroke-dasharray=\"2,3\"/>"));
        svg.AppendLine(Inv($"<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1.5\" points=\"{Steps(points, p => p.Cwnd, duration, X, Y)}\"/>"));
        svg.AppendLine(Inv($"<polyline fill=\"none\" stroke=\"#e08000\" stroke-width=\"1.5\" stroke-dasharray=\"6,3\" points=\"{Steps(points, p => p.Ssthresh < TcpConstants.InfiniteSsthresh ? p.Ssthresh : double.NaN, duration, X, Y)}\"/>"));
        svg.AppendLine(Inv($"<text x=\"{Width - Right - 150}\" y=\"{Top + 14}\" fill=\"#1f5fbf\">— cwnd</text>"));
        svg.AppendLine(Inv($"<text x=\"{Width - Right - 80}\" y=\"{Top + 14}\" fill=\"#e08000\">- - ssthresh</text>"));
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Guide(StringBuilder svg, double y, string label, string color)
    {
        svg.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" stroke=\"{color}\" stroke-dasharray=\"1,4\"/>"));
        svg.AppendLine(Inv($"<text x=\"{Left + 4}\" y=\"{y - 3:F1}\" fill=\"{color}\">{label}</text>"));
    }

    /// <summary>A step curve (a value holds until the next point), thinned to at most ~2000 vertices.</summary>
    private static string Steps(IReadOnlyList<TracePoint> points, Func<TracePoint, double> value, long duration, Func<long, double> x, Func<double, double> y)
    {
        var sb = new StringBuilder();
        long minGap = duration / 1000;
        long lastT = long.MinValue;
        for (int i = 0; i < points.Count; i++)
        {
            double v = value(points[i]);
            if (double.IsNaN(v)) continue;
            bool last = i == points.Count - 1;
            if (!last && lastT != long.MinValue && points[i].TimeUs - lastT < minGap) continue;
            long tNext = last ? duration : points[i + 1].TimeUs;
            sb.Append(Inv($"{x(points[i].TimeUs):F1},{y(v):F1} {x(tNext):F1},{y(v):F1} "));
            lastT = points[i].TimeUs;
        }
        return sb.ToString().TrimEnd();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
