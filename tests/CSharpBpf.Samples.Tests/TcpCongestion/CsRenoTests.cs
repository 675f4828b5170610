using System.Collections.Generic;
using System.Linq;
using CSharpBpf.TestSupport;
using TcpCongestion;
using TcpCongestion.Kernel;
using TcpCongestion.Simulation;
using Xunit;

namespace CSharpBpf.Samples.Tests.TcpCongestion;

/// <summary>The sample's own C# congestion control (samples/TcpCongestion/CsReno.cs) in the VM simulation and the kernel.</summary>
public sealed class CsRenoTests
{
    private const uint InitialSsthresh = CsReno.InitialSsthresh;

    private static readonly LinkParameters Lossy = new() { BandwidthMbps = 20, RttMs = 40, QueuePackets = 30, DurationSeconds = 6, LossRate = 0.0005, ReorderRate = 0.002 };

    [Fact]
    public void Every_callback_runs_in_the_vm_and_its_counter_matches_what_tcp_called()
    {
        using var vm = CsReno.LoadVm();
        Assert.Empty(vm.Object.LoadErrors);
        var cc = new VmCongestionControl(vm.Host, vm.Object, "csreno");
        var trace = new FlowSimulator(Lossy, cc).Run();
        Assert.Null(TraceChecks.Check(trace));
        var calls = vm.Maps.Counters;
        string[] names = { "init", "ssthresh", "cong_avoid", "set_state", "cwnd_event", "pkts_acked", "undo_cwnd" };
        for (uint i = 0; i < names.Length; i++)
        {
            long expected = trace.Calls.GetValueOrDefault(names[i]);
            Assert.True(expected > 0, $"{names[i]} was never called by the simulated TCP");
            Assert.Equal((ulong)expected, calls[i]);
        }
        // set_state per state and cwnd_event per event: Recovery entered as often as the simulator says.
        const uint stateBase = CsReno.StateBase, eventBase = CsReno.EventBase;
        Assert.Equal((ulong)trace.Recoveries, calls[stateBase + (uint)CaState.Recovery]);
        Assert.True(calls[eventBase + (uint)CaEvent.TxStart] >= 1);
        Assert.True(calls[eventBase + (uint)CaEvent.CompleteCwr] > 0);
        // pkts_acked read the kernel's ack_sample: the smallest RTT is at least the path's base RTT.
        uint minRtt = vm.Maps.MinRtt[0];
        Assert.InRange(minRtt, (uint)(Lossy.RttMs * 1000), (uint)(Lossy.RttMs * 1000 * 2));
    }

    [Fact]
    public void Without_loss_the_vm_flow_grows_in_slow_start_and_stops_at_the_initial_ssthresh()
    {
        using var vm = CsReno.LoadVm();
        var cc = new VmCongestionControl(vm.Host, vm.Object, "csreno");
        var link = new LinkParameters { BandwidthMbps = 100, RttMs = 20, QueuePackets = 10_000, DurationSeconds = 1 };
        var trace = new FlowSimulator(link, cc).Run();
        var only = Assert.Single(trace.Events);
        Assert.StartsWith($"slow start ends: cwnd reached ssthresh {InitialSsthresh}", only.What);
        AssertSlowStartStopsAt(InitialSsthresh, trace.Points.Select(p => (p.Cwnd, p.Ssthresh)).ToList());
    }

    [SkippableFact]
    public void Without_loss_the_kernel_flow_grows_in_slow_start_and_stops_at_the_same_ssthresh()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        using var bpf = CsReno.LoadKernel();
        var samples = new List<(uint Cwnd, uint Ssthresh)>();
        TransferResult result;
        using (bpf.Register())
            result = LoopbackTransfer.Run("csreno", 64 << 20, sample: (cwnd, ssthresh) => samples.Add((cwnd, ssthresh)));
        Assert.Equal("csreno", result.Algorithm);
        AssertSlowStartStopsAt(InitialSsthresh, samples);
        Assert.True(bpf.Maps.Counters[CsReno.Init] >= 1);
        Assert.True(bpf.Maps.Counters[CsReno.CongAvoid] > 0);
    }

    /// <summary>
    /// The shape both runs share: init() set ssthresh, cwnd starts at 10 and grows fast (slow start),
    /// passes ssthresh, and then grows slowly (at most one segment per window, so it stays close to ssthresh).
    /// </summary>
    private static void AssertSlowStartStopsAt(uint ssthresh, IReadOnlyList<(uint Cwnd, uint Ssthresh)> samples)
    {
        Assert.NotEmpty(samples);
        Assert.All(samples.Skip(1), s => Assert.Equal(ssthresh, s.Ssthresh));
        Assert.True(samples[0].Cwnd <= 10, $"first cwnd {samples[0].Cwnd}");
        uint max = samples.Max(s => s.Cwnd);
        Assert.True(max > ssthresh, $"cwnd never passed ssthresh {ssthresh} (max {max})");
        Assert.True(max < ssthresh * 2, $"cwnd {max} kept growing exponentially past ssthresh {ssthresh}");
    }
}
