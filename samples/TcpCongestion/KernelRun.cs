using System;
using System.Linq;
using CSharpBpf.Linux;
using CSharpBpf.Linux.Loader;
using TcpCongestion.Kernel;
using TcpCongestion.Output;

namespace TcpCongestion;

/// <summary>Registers the congestion control in the running kernel, uses it for a loopback transfer, unregisters.</summary>
public static class KernelRun
{
    /// <returns>Null when the kernel step could not run (reason printed), else whether the proof held.</returns>
    /// <param name="objectElf">An --object file to register instead of the built-in <see cref="CsReno"/> (null: CsReno).</param>
    public static bool? Run(byte[]? objectElf, string structOpsName, string[] counterNames, int megabytes)
    {
        string? reason = WhyNot();
        if (reason is not null)
        {
            Console.WriteLine($"  skipped: {reason}");
            return null;
        }
        try
        {
            // CsReno through its generated skeleton (typed counters); any other object through the generic loader.
            using var csReno = objectElf is null ? CsReno.LoadKernel() : null;
            using var other = objectElf is null ? null : BpfObject.Load(ObjectSpec.Read(objectElf, structOpsName));
            var ops = csReno?.StructOps ?? other!.StructOps[structOpsName];
            TransferResult result;
            using (var registration = csReno?.Register() ?? ops.Register())
            {
                Console.WriteLine($"  registered: struct_ops {structOpsName} ({ops.State}), programs {string.Join(", ", ops.ProgramIds().Select(p => $"{p.Key}#{p.Value}"))}");
                try
                {
                    // In a terminal one line rewritten in place; redirected, a line per quarter of the transfer.
                    bool terminal = !Console.IsOutputRedirected;
                    long total = (long)megabytes << 20, nextQuarter = 0;
                    result = LoopbackTransfer.Run(structOpsName, total, (sent, cwnd) =>
                    {
                        string line = $"  transferring over 127.0.0.1: {sent >> 20,5} / {megabytes} MB, cwnd {cwnd,5}";
                        if (terminal) Console.Write("\r" + line + "   ");
                        else if (sent >= nextQuarter) { Console.WriteLine(line); nextQuarter = sent + total / 4; }
                    });
                }
                finally { if (!Console.IsOutputRedirected) Console.WriteLine(); }
            }
            Console.WriteLine($"  unregistered {structOpsName}");
            Console.WriteLine($"  socket's congestion control (getsockopt TCP_CONGESTION): \"{result.Algorithm}\"");
            Console.WriteLine($"  transfer: {result.Bytes >> 20} MB in {result.Elapsed.TotalMilliseconds:F0} ms = {result.ThroughputMbps:F0} Mbit/s; " +
                              $"cwnd {result.FirstCwnd} → max {result.MaxCwnd}, ssthresh {(result.LastSsthresh >= 0x7fffffff ? "infinite" : result.LastSsthresh.ToString())}, {result.Retransmits} retransmits");
            ulong[] counts = Array.Empty<ulong>();
            if (csReno is not null)
            {
                var counters = csReno.Maps.Counters;
                counts = Enumerable.Range(0, (int)counters.MaxEntries).Select(i => counters[(uint)i]).ToArray();
                Console.WriteLine($"  counts from map '{counters.Name}': {CounterText.Format(counts, counterNames)}");
            }
            bool ok = result.Algorithm == structOpsName && (counts.Length == 0 || counts.Any(c => c > 0));
            if (!ok) Console.WriteLine("  UNEXPECTED: the socket did not run the registered algorithm");
            return ok;
        }
        catch (BpfException e)
        {
            Console.WriteLine($"  kernel step failed: {e.Message}");
            return false;
        }
    }

    public static string? WhyNot()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1";
        if (Environment.UserName != "root") return "not root: registering struct_ops needs CAP_BPF and CAP_NET_ADMIN (run as root for the kernel step)";
        return null;
    }
}
