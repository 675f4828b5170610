using System;

namespace TcpCongestion.Simulation;

/// <summary>The path of the simulated flow: one bottleneck link with a drop-tail queue.</summary>
public sealed record LinkParameters
{
    public double BandwidthMbps { get; init; } = 20;
    public double RttMs { get; init; } = 40;
    public int QueuePackets { get; init; } = 50;

    /// <summary>Probability that the link drops a packet at random (after the queue), 0..1.</summary>
    public double LossRate { get; init; }

    /// <summary>Probability that a packet is delayed past its successors (reordering: spurious fast retransmits, then undo).</summary>
    public double ReorderRate { get; init; }

    public double DurationSeconds { get; init; } = 10;
    public int Seed { get; init; } = 7;
    public int Mss { get; init; } = 1448;

    /// <summary>Time the bottleneck needs to put one full-size segment on the wire.</summary>
    public long SerializationUs => Math.Max(1, (long)Math.Round(Mss * 8 / BandwidthMbps));

    public long OneWayDelayUs => (long)Math.Round(RttMs * 1000 / 2);

    /// <summary>Bandwidth-delay product in segments: the cwnd that just fills the pipe.</summary>
    public double BdpPackets => BandwidthMbps * 1e6 / 8 * (RttMs / 1000) / Mss;

    /// <summary>Checks every parameter; the message names the option at fault.</summary>
    public void Validate()
    {
        if (!(BandwidthMbps > 0 && BandwidthMbps <= 100_000)) throw new ArgumentException($"--bandwidth-mbps must be in (0, 100000], got {BandwidthMbps}");
        if (!(RttMs > 0 && RttMs <= 10_000)) throw new ArgumentException($"--rtt-ms must be in (0, 10000], got {RttMs}");
        if (QueuePackets < 1 || QueuePackets > 1_000_000) throw new ArgumentException($"--queue-packets must be in [1, 1000000], got {QueuePackets}");
        if (!(LossRate >= 0 && LossRate < 1)) throw new ArgumentException($"--loss must be in [0, 1), got {LossRate}");
        if (!(ReorderRate >= 0 && ReorderRate < 1)) throw new ArgumentException($"--reorder must be in [0, 1), got {ReorderRate}");
        if (!(DurationSeconds > 0 && DurationSeconds <= 600)) throw new ArgumentException($"--duration must be in (0, 600] seconds, got {DurationSeconds}");
        if (Mss < 64 || Mss > 65_000) throw new ArgumentException($"mss must be in [64, 65000], got {Mss}");
    }
}
