using System;
using System.IO;
using System.Linq;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using TcpCongestion.Output;
using TcpCongestion.Simulation;

namespace TcpCongestion;

/// <summary>Runs the congestion control in the managed VM against the simulated flow and shows what it did.</summary>
public static class VmRun
{
    /// <returns>True when the run showed the expected shape: growth in slow start, a cut after every loss episode.</returns>
    /// <param name="objectElf">An --object file to run instead of the built-in <see cref="CsReno"/> (null: CsReno).</param>
    public static bool Run(byte[]? objectElf, string structOpsName, string[] counterNames, Options options, string svgPath)
    {
        var link = options.Link;
        using var host = new BpfTestHost(ExecutionEngine.Interpreter);
        // CsReno through its generated skeleton (typed counters); any other object through the generic loader.
        var csReno = objectElf is null ? CsReno.LoadVm(host) : null;
        var obj = csReno?.Object ?? host.LoadObject(objectElf!);
        foreach (var (name, error) in obj.LoadErrors) Console.WriteLine($"  VM could not load {name}: {error}");
        var cc = new VmCongestionControl(host, obj, structOpsName);
        Console.WriteLine($"  link: {link.BandwidthMbps} Mbit/s, RTT {link.RttMs} ms, drop-tail queue {link.QueuePackets} packets, " +
                          $"random loss {link.LossRate:P2}, reordering {link.ReorderRate:P2}, seed {link.Seed}, {link.DurationSeconds} s simulated");
        Console.WriteLine($"  pipe: BDP {link.BdpPackets:F1} segments of {link.Mss} B; the queue overflows above cwnd ≈ {link.BdpPackets + link.QueuePackets:F0}");
        var started = DateTime.UtcNow;
        var trace = new FlowSimulator(link, cc).Run();
        var wall = DateTime.UtcNow - started;

        Console.WriteLine("  key moments (time, cwnd before → after, ssthresh):");
        var first = trace.Points.First();
        Console.WriteLine($"    {0,8:F3}s  start: init() with cwnd {TcpConstants.InitialCwnd}, ssthresh infinite; slow start");
        foreach (var e in trace.Events.Take(14))
            Console.WriteLine($"    {e.TimeUs / 1e6,8:F3}s  {e.What}  [cwnd {e.CwndBefore} → {e.CwndAfter}, ssthresh {Ssthresh(e.Ssthresh)}]");
        if (trace.Events.Count > 14) Console.WriteLine($"    … {trace.Events.Count - 14} more");
        Console.WriteLine($"    {trace.DurationUs / 1e6,8:F3}s  end: cwnd {trace.Points[^1].Cwnd}, ssthresh {Ssthresh(trace.Points[^1].Ssthresh)}, state {trace.Points[^1].State}");
        Console.WriteLine($"  cwnd over time (max {trace.MaxCwnd} segments):");
        Console.WriteLine($"    {Sparkline.Render(trace.Points, trace.DurationUs)}");
        Console.WriteLine($"  totals: {trace.SegmentsSent} segments sent, {trace.Retransmissions} retransmitted, {trace.QueueDrops} queue drops, " +
                          $"{trace.RandomLosses} random losses, {trace.Recoveries} recoveries, {trace.Timeouts} timeouts, {trace.Undos} undos; " +
                          $"goodput {trace.GoodputMbps(link.Mss):F2} Mbit/s");
        Console.WriteLine($"  callbacks TCP made: {string.Join(", ", trace.Calls.Select(c => $"{c.Key} {c.Value}"))}");
        Console.WriteLine($"  eBPF executed: {string.Join(", ", cc.Stats.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value.Instructions / Math.Max(1, s.Value.Calls):F0} insns/call"))}; " +
                          $"{cc.Stats.Values.Sum(s => s.Instructions)} instructions in {wall.TotalMilliseconds:F0} ms");
        if (csReno is not null)
        {
            var counters = csReno.Maps.Counters;
            Console.WriteLine($"  counts from map '{counters.Name}' (read back from the VM): {CounterText.Format(Enumerable.Range(0, counters.MaxEntries).Select(i => counters[(uint)i]).ToArray(), counterNames)}");
        }

        File.WriteAllText(svgPath, SvgChart.Render(trace, $"{structOpsName} in the CSharpBpf VM: {link.BandwidthMbps} Mbit/s, {link.RttMs} ms, queue {link.QueuePackets}, loss {link.LossRate:P1}",
            link.BdpPackets, link.QueuePackets));
        Console.WriteLine($"  picture: {svgPath}");

        var check = TraceChecks.Check(trace);
        Console.WriteLine(check is null ? "  check: cwnd grew in slow start and every loss episode cut it" : $"  UNEXPECTED: {check}");
        return check is null;
    }

    private static string Ssthresh(uint v) => v >= TcpConstants.InfiniteSsthresh ? "infinite" : v.ToString();
}
