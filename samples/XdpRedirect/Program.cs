using System;
using System.IO;
using System.Linq;
using CSharpBpf.Linux;

namespace XdpRedirect;

/// <summary>An XDP devmap_hash redirect in C#: frames from a wired interface are redirected, others pass.</summary>
public static class Program
{
    // lo is ifindex 1 on Linux: the kernel only accepts devmap entries naming an existing device.
    private const uint Wired = 1, Egress = 1, Unwired = 99;

    public static int Main()
    {
        var d = PortMap.BpfObject;
        byte[] elf = d.GetElfBytes();
        string path = Path.Combine(AppContext.BaseDirectory, "PortMap.bpf.o");
        Console.WriteLine("1. What the build produced");
        Console.WriteLine($"  object: {path}{(File.Exists(path) ? "" : " (not written)")}, {elf.Length} bytes");
        foreach (var p in d.Programs) Console.WriteLine($"  program {p.Name}: section \"{p.Section}\", {p.InstructionCount} instructions");
        foreach (var m in d.Maps) Console.WriteLine($"  map {m.Name}: {m.MapType}, {m.MaxEntries} entries");

        Console.WriteLine($"2. Managed VM: Ports[{Wired}] = {Egress}; one frame arriving on ifindex {Wired}, one on {Unwired}");
        var vm = Demo.RunVm(Wired, Egress, Unwired);
        foreach (var f in vm) Console.WriteLine($"  from ifindex {f.IngressIfindex}: {Demo.VerdictName(f.Verdict)}{(f.EgressIfindex is { } e ? $" to ifindex {e}" : "")}");
        bool ok = vm[0].Verdict == Demo.XdpRedirect && vm[0].EgressIfindex == Egress && vm[1].Verdict == Demo.XdpPass;

        Console.WriteLine("3. Linux kernel: the same frames through BPF_PROG_TEST_RUN (verdicts only: test_run does not transmit)");
        if (Demo.WhyNotKernel() is { } reason) Console.WriteLine($"  skipped: {reason}");
        else
        {
            try
            {
                uint other = Demo.OtherIfindex()!.Value;
                var k = Demo.RunKernel(Wired, Egress, other, out var stats);
                foreach (var f in k) Console.WriteLine($"  from ifindex {f.IngressIfindex}: {Demo.VerdictName(f.Verdict)}");
                Console.WriteLine($"  Stats map: redirected {stats[0]}, passed {stats[1]}");
                ok &= k[0].Verdict == Demo.XdpRedirect && k[1].Verdict == Demo.XdpPass && stats.SequenceEqual(new ulong[] { 1, 1 });
            }
            catch (BpfException e)
            {
                Console.WriteLine($"  kernel step failed: {e.Message}");
                ok = false;
            }
        }
        Console.WriteLine(ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    }
}
