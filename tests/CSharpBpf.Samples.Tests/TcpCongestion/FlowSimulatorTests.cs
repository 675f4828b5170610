using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm.Maps;
using TcpCongestion.Simulation;
using Xunit;

namespace CSharpBpf.Samples.Tests.TcpCongestion;

/// <summary>
/// The flow simulator driving the clang-built Reno fixture (tests/fixtures/linux/cc_counting.bpf.o,
/// struct_ops "csbpf_cc": init, ssthresh, cong_avoid, undo_cwnd, each counted in the map "calls").
/// </summary>
public sealed class FlowSimulatorTests : IDisposable
{
    private readonly BpfTestHost _host = new();
    private readonly VmObject _obj;

    public FlowSimulatorTests() => _obj = _host.LoadObject(File.ReadAllBytes(RepoPaths.Fixture(Path.Combine("linux", "cc_counting.bpf.o"))));

    public void Dispose() => _host.Dispose();

    private VmCongestionControl Reno() => new(_host, _obj, "csbpf_cc");

    private static readonly LinkParameters Lossy = new() { BandwidthMbps = 10, RttMs = 40, QueuePackets = 20, DurationSeconds = 6 };

    [Fact]
    public void Slow_start_doubles_cwnd_every_round_trip_without_loss()
    {
        var link = new LinkParameters { BandwidthMbps = 1000, RttMs = 20, QueuePackets = 10_000, DurationSeconds = 0.07 };
        var trace = new FlowSimulator(link, Reno()).Run();
        Assert.Empty(trace.Events);
        uint At(double ms) => trace.Points.Last(p => p.TimeUs <= ms * 1000).Cwnd;
        // Each RTT every segment of the window is ACKed once: cwnd 10 → 20 → 40 → 80.
        Assert.Equal(10u, At(19));
        Assert.Equal(20u, At(21));
        Assert.Equal(40u, At(41));
        Assert.Equal(80u, At(61));
        Assert.Equal(TcpConstants.InfiniteSsthresh, trace.Points[^1].Ssthresh);
    }

    [Fact]
    public void A_queue_overflow_halves_cwnd_through_ssthresh_and_recovery_ends_at_ssthresh()
    {
        var trace = new FlowSimulator(Lossy, Reno()).Run();
        Assert.Null(TraceChecks.Check(trace));
        var loss = trace.Events.First(e => e.What.StartsWith("loss"));
        Assert.Equal(Math.Max(loss.CwndBefore / 2, 2u), loss.Ssthresh); // tcp_reno_ssthresh
        var end = trace.Events.First(e => e.What.StartsWith("recovery complete"));
        Assert.Equal(loss.Ssthresh, end.CwndAfter);
        Assert.True(trace.QueueDrops > 0);
        Assert.True(trace.Recoveries > 0);
        // Above ssthresh, growth is additive: at most one segment per (base) round trip until the next loss.
        var nextLoss = trace.Events.First(e => e.TimeUs > end.TimeUs && e.What.StartsWith("loss"));
        uint peak = trace.Points.Where(p => p.TimeUs > end.TimeUs && p.TimeUs < nextLoss.TimeUs).Max(p => p.Cwnd);
        double rtts = (nextLoss.TimeUs - end.TimeUs) / (Lossy.RttMs * 1000);
        Assert.InRange(peak - end.CwndAfter, 1, rtts + 1);
    }

    [Fact]
    public void Callbacks_come_in_the_kernels_order_with_its_arguments()
    {
        var cc = new RecordingCongestionControl(Reno());
        new FlowSimulator(Lossy, cc).Run();
        var log = cc.Log;
        Assert.Equal("init", log[0]);
        // The first ACKs of slow start acknowledge one segment each.
        Assert.Contains("cong_avoid(1)", log);
        int ss = log.FindIndex(l => l.StartsWith("ssthresh="));
        Assert.True(ss > 0);
        // tcp_enter_recovery: ssthresh(sk), then set_state(Recovery) — set_state is absent in this object, so none are logged.
        Assert.DoesNotContain(log, l => l.StartsWith("set_state"));
        // no cong_avoid while in Recovery: between ssthresh and the recovery end only pkts_acked
        int next = log.FindIndex(ss, l => l.StartsWith("cong_avoid"));
        Assert.True(next > ss);
    }

    [Fact]
    public void Every_member_the_object_has_is_called_as_often_as_its_counter_says()
    {
        var cc = Reno();
        var link = Lossy with { ReorderRate = 0.01, LossRate = 0.001 };
        var trace = new FlowSimulator(link, cc).Run();
        var calls = _obj.Map<ArrayMap>("calls");
        Assert.Equal(1UL, calls.GetUInt64(0));
        Assert.Equal((ulong)trace.Calls["ssthresh"], calls.GetUInt64(1));
        Assert.Equal((ulong)trace.Calls["cong_avoid"], calls.GetUInt64(2));
        Assert.Equal((ulong)trace.Calls.GetValueOrDefault("undo_cwnd"), calls.GetUInt64(3));
        Assert.True(trace.Calls["ssthresh"] >= trace.Recoveries);
    }

    [Fact]
    public void Reordering_makes_retransmissions_spurious_and_undo_restores_the_window()
    {
        var link = new LinkParameters { BandwidthMbps = 50, RttMs = 30, QueuePackets = 1000, ReorderRate = 0.002, DurationSeconds = 5, Seed = 3 };
        var trace = new FlowSimulator(link, Reno()).Run();
        Assert.True(trace.Reordered > 0);
        Assert.True(trace.Undos > 0, string.Join("\n", trace.Events.Select(e => e.What)));
        var undo = trace.Events.First(e => e.What.StartsWith("undo"));
        Assert.True(undo.CwndAfter > undo.CwndBefore, $"undo_cwnd should restore the window: {undo}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_flow()
    {
        var link = Lossy with { LossRate = 0.01, Seed = 42 };
        var a = new FlowSimulator(link, Reno()).Run();
        using var host2 = new BpfTestHost();
        var obj2 = host2.LoadObject(File.ReadAllBytes(RepoPaths.Fixture(Path.Combine("linux", "cc_counting.bpf.o"))));
        var b = new FlowSimulator(link, new VmCongestionControl(host2, obj2, "csbpf_cc")).Run();
        Assert.Equal(a.Points, b.Points);
        Assert.True(a.RandomLosses > 0);
    }

    [Fact]
    public void A_path_that_loses_everything_ends_in_timeouts_with_backoff_not_a_hang()
    {
        var link = new LinkParameters { LossRate = 0.999, DurationSeconds = 20 };
        var trace = new FlowSimulator(link, Reno()).Run();
        Assert.True(trace.Timeouts >= 3);
        Assert.True(trace.Timeouts < 10); // exponential backoff: 1 s, 2 s, 4 s, 8 s …
        var rto = trace.Events.First(e => e.What.StartsWith("retransmission timeout"));
        Assert.Equal(1u, rto.CwndAfter);
    }

    [Theory]
    [InlineData(0, 40, 50, 0)]
    [InlineData(10, 0, 50, 0)]
    [InlineData(10, 40, 0, 0)]
    [InlineData(10, 40, 50, 1)]
    public void Bad_link_parameters_are_refused_naming_the_option(double mbps, double rtt, int queue, double loss)
    {
        var link = new LinkParameters { BandwidthMbps = mbps, RttMs = rtt, QueuePackets = queue, LossRate = loss };
        var e = Assert.Throws<ArgumentException>(() => new FlowSimulator(link, Reno()));
        Assert.StartsWith("--", e.Message);
    }
}
