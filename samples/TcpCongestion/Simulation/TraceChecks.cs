using System.Linq;

namespace TcpCongestion.Simulation;

/// <summary>The properties any Reno-family congestion control shows on the simulated flow.</summary>
public static class TraceChecks
{
    /// <returns>Null when the trace shows growth in slow start and a cut after every loss episode; else what is wrong.</returns>
    public static string? Check(FlowTrace trace)
    {
        if (trace.Points.Count == 0) return "no trace points";
        uint start = trace.Points[0].Cwnd;
        var firstLoss = trace.Events.FirstOrDefault(e => e.What.StartsWith("loss") || e.What.StartsWith("retransmission"));
        uint beforeLoss = firstLoss?.CwndBefore ?? trace.MaxCwnd;
        if (beforeLoss <= start) return $"cwnd did not grow in slow start (started at {start}, {beforeLoss} before the first loss)";
        foreach (var e in trace.Events.Where(e => e.What.StartsWith("loss")))
            if (e.Ssthresh >= e.CwndBefore) return $"ssthresh {e.Ssthresh} at {e.TimeUs / 1e6:F3}s is not below cwnd {e.CwndBefore}: no multiplicative decrease";
        return null;
    }
}
