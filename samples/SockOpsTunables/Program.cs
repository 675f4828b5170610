using System;
using System.IO;
using CSharpBpf.Linux;

namespace SockOpsTunables;

/// <summary>
/// TCP tunables per cgroup with a C# sock_ops program: the SYN timeout and initial receive window as
/// replies, TCP_NODELAY and a larger initial congestion window set with bpf_setsockopt when connections are established.
/// </summary>
public static class Program
{
    public static int Main()
    {
        var d = Tunables.BpfObject;
        byte[] elf = d.GetElfBytes();
        string path = Path.Combine(AppContext.BaseDirectory, "Tunables.bpf.o");
        Console.WriteLine("1. What the build produced");
        Console.WriteLine($"  object: {path}{(File.Exists(path) ? "" : " (not written)")}, {elf.Length} bytes");
        foreach (var p in d.Programs) Console.WriteLine($"  program {p.Name}: section \"{p.Section}\", {p.InstructionCount} instructions");
        foreach (var m in d.Maps) Console.WriteLine($"  map {m.Name}: {m.MapType}, {m.MaxEntries} entries");

        Console.WriteLine("2. Managed VM: one simulated active connection");
        var vm = VmDemo.Run();
        Console.WriteLine($"  TIMEOUT_INIT reply {vm.TimeoutReply} jiffies, RWND_INIT reply {vm.RwndReply} segments");
        Console.WriteLine($"  after ACTIVE_ESTABLISHED_CB: TCP_NODELAY {vm.NoDelay}, snd_cwnd {vm.Cwnd}");
        Console.WriteLine($"  ops seen: {Ops(vm.OpCounts)}");
        bool ok = vm.TimeoutReply == Tunables.SynRtoJiffies && vm.RwndReply == Tunables.InitialRwndSegments && vm.NoDelay == 1 && vm.Cwnd == Tunables.InitialCwnd;

        Console.WriteLine("3. Linux kernel: attached to a temporary cgroup, loopback connections from inside and outside it");
        if (KernelDemo.WhyNot() is { } reason) Console.WriteLine($"  skipped: {reason}");
        else
        {
            try
            {
                var k = KernelDemo.Run();
                Console.WriteLine($"  inside the cgroup:  TCP_NODELAY {k.InsideNoDelay}, snd_cwnd {k.InsideCwnd} (tcp_info, before any data)");
                Console.WriteLine($"  outside the cgroup: TCP_NODELAY {k.OutsideNoDelay}, snd_cwnd {k.OutsideCwnd}");
                Console.WriteLine($"  ops seen: {Ops(k.OpCounts)}");
                ok &= k.InsideNoDelay == 1 && k.InsideCwnd == Tunables.InitialCwnd && k.OutsideNoDelay == 0 && k.OutsideCwnd != Tunables.InitialCwnd;
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

    private static string Ops(ulong[] c) =>
        $"TIMEOUT_INIT {c[1]}, RWND_INIT {c[2]}, TCP_CONNECT_CB {c[3]}, ACTIVE_ESTABLISHED_CB {c[4]}, PASSIVE_ESTABLISHED_CB {c[5]}";
}
