using System;
using CSharpBpf.Linux;

namespace PacketFilter;

/// <summary>Loads the same object into the running kernel (its verifier checks it) and runs it with BPF_PROG_TEST_RUN.</summary>
public static class KernelRun
{
    /// <returns>Null when the kernel step could not run (with the reason printed), else whether all verdicts matched.</returns>
    public static bool? Run()
    {
        string? reason = WhyNot();
        if (reason is not null)
        {
            Console.WriteLine($"  skipped: {reason}");
            return null;
        }
        try
        {
            using var bpf = UdpFilter.LoadKernel();
            var program = bpf.Programs.Filter;
            Console.WriteLine($"  loaded: the kernel verifier accepted Filter (prog id {program.Program.Id})");
            bool ok = true;
            foreach (var packet in Packets.All)
            {
                var result = program.TestRun(packet.Bytes);
                bool match = result.ReturnValue == packet.ExpectedVerdict;
                ok &= match;
                Console.WriteLine($"    {packet.Name,-36} -> {Packets.VerdictName(result.ReturnValue),-5}{(match ? "" : "  UNEXPECTED")}");
            }
            var counters = bpf.Maps.Verdicts;
            Console.WriteLine($"    counters: passed={counters[0]} dropped={counters[1]} unparsable={counters[2]}");
            return ok;
        }
        catch (BpfException e)
        {
            Console.WriteLine($"  kernel step failed: {e.Message}");
            return false;
        }
    }

    private static string? WhyNot()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1";
        if (Environment.UserName != "root") return "not root: loading BPF needs CAP_BPF (run as root for the kernel step)";
        return null;
    }
}
