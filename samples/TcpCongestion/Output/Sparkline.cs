using System;
using System.Collections.Generic;
using System.Text;
using TcpCongestion.Simulation;

namespace TcpCongestion.Output;

/// <summary>A one-line text picture of cwnd over time (block characters, one column per time slice).</summary>
public static class Sparkline
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>cwnd at the end of each of <paramref name="width"/> equal time slices, scaled to the largest.</summary>
    public static string Render(IReadOnlyList<TracePoint> points, long durationUs, int width = 72)
    {
        if (points.Count == 0 || durationUs <= 0 || width <= 0) return "";
        var values = Sample(points, durationUs, width);
        uint max = 1;
        foreach (var v in values) max = Math.Max(max, v);
        var sb = new StringBuilder(width);
        foreach (var v in values) sb.Append(Blocks[(int)Math.Min(Blocks.Length - 1, (long)v * Blocks.Length / (max + 1))]);
        return sb.ToString();
    }

    /// <summary>The cwnd in force at the end of each slice (the last point at or before the slice end).</summary>
    public static uint[] Sample(IReadOnlyList<TracePoint> points, long durationUs, int width)
    {
        var values = new uint[width];
        int p = 0;
        for (int i = 0; i < width; i++)
        {
            long sliceEnd = durationUs * (i + 1) / width;
            while (p + 1 < points.Count && points[p + 1].TimeUs <= sliceEnd) p++;
            values[i] = points[p].Cwnd;
        }
        return values;
    }
}
