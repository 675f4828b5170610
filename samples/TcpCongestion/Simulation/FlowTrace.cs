using System.Collections.Generic;

namespace TcpCongestion.Simulation;

/// <summary>One point of the cwnd/ssthresh curve (taken whenever cwnd, ssthresh or the state changed).</summary>
public readonly record struct TracePoint(long TimeUs, uint Cwnd, uint Ssthresh, CaState State, uint InFlight);

/// <summary>What happened to the flow at a key moment (loss, recovery, undo, ...), for the table.</summary>
public sealed record FlowEvent(long TimeUs, string What, uint CwndBefore, uint CwndAfter, uint Ssthresh);

/// <summary>Everything a run produced: the curve, the key moments, and the totals.</summary>
public sealed class FlowTrace
{
    public List<TracePoint> Points { get; } = new();
    public List<FlowEvent> Events { get; } = new();

    /// <summary>How often TCP invoked each callback (members the object lacks are not counted).</summary>
    public SortedDictionary<string, long> Calls { get; } = new(System.StringComparer.Ordinal);

    public long SegmentsSent { get; set; }
    public long Retransmissions { get; set; }
    public long QueueDrops { get; set; }
    public long RandomLosses { get; set; }
    public long Reordered { get; set; }
    public long SegmentsDelivered { get; set; }
    public int Recoveries { get; set; }
    public int Timeouts { get; set; }
    public int Undos { get; set; }
    public long DurationUs { get; set; }
    public uint MaxCwnd { get; set; }

    /// <summary>Goodput: in-order bytes delivered to the receiver per second.</summary>
    public double GoodputMbps(int mss) => DurationUs == 0 ? 0 : SegmentsDelivered * (double)mss * 8 / DurationUs;
}
