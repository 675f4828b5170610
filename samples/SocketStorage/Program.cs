using System;
using System.IO;
using System.Net.Sockets;
using CSharpBpf.Linux;

namespace SocketStorage;

/// <summary>Per-socket counters in sk_storage and in a cookie-keyed hash map, side by side.</summary>
public static class Program
{
    public const int VmPackets = 200, KernelMessages = 2000;

    public static int Main()
    {
        var d = Counters.BpfObject;
        byte[] elf = d.GetElfBytes();
        string path = Path.Combine(AppContext.BaseDirectory, "Counters.bpf.o");
        Console.WriteLine("1. What the build produced");
        Console.WriteLine($"  object: {path}{(File.Exists(path) ? "" : " (not written)")}, {elf.Length} bytes");
        foreach (var p in d.Programs) Console.WriteLine($"  program {p.Name}: section \"{p.Section}\", {p.InstructionCount} instructions");
        foreach (var m in d.Maps) Console.WriteLine($"  map {m.Name}: {m.MapType}, {m.MaxEntries} entries");

        Console.WriteLine($"2. Managed VM: {VmPackets} packets from one simulated socket through each program");
        var vm = Demo.RunVm(VmPackets);
        foreach (var r in vm) Console.WriteLine($"  {r.Program,-15} packets {r.Packets}, bytes {r.Bytes}, {r.Cost:F1} {r.CostUnit}");
        bool ok = vm[0].Packets == VmPackets && vm[1].Packets == VmPackets && vm[0].Bytes == vm[1].Bytes;

        Console.WriteLine($"3. Linux kernel: each program on a temporary cgroup, {KernelMessages} 64-byte messages over loopback");
        if (Demo.WhyNotKernel() is { } reason) Console.WriteLine($"  skipped: {reason}");
        else
        {
            try
            {
                var k = Demo.RunKernel(KernelMessages);
                foreach (var r in k) Console.WriteLine($"  {r.Program,-15} packets {r.Packets}, bytes {r.Bytes}, {r.Cost:F1} {r.CostUnit}");
                Console.WriteLine("  (a timing on a shared machine: indicative only; ACKs and the handshake are counted too)");
                ok &= k[0].Packets >= KernelMessages && k[1].Packets >= KernelMessages;
            }
            catch (Exception e) when (e is BpfException or SocketException)
            {
                Console.WriteLine($"  kernel step failed: {e.Message}");
                ok = false;
            }
        }
        Console.WriteLine(ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    }
}
