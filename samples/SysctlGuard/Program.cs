using System;
using System.IO;
using CSharpBpf.Linux;
using System.Net.Sockets;

namespace SysctlGuard;

/// <summary>A cgroup sysctl guard and a setsockopt rewrite in C#, in the VM and on a real cgroup.</summary>
public static class Program
{
    public static int Main()
    {
        var d = Policy.BpfObject;
        byte[] elf = d.GetElfBytes();
        string path = Path.Combine(AppContext.BaseDirectory, "Policy.bpf.o");
        Console.WriteLine("1. What the build produced");
        Console.WriteLine($"  object: {path}{(File.Exists(path) ? "" : " (not written)")}, {elf.Length} bytes");
        foreach (var p in d.Programs) Console.WriteLine($"  program {p.Name}: section \"{p.Section}\", {p.InstructionCount} instructions");

        Console.WriteLine("2. Managed VM");
        var vm = Demo.RunVm(6);
        Print(vm);
        bool ok = Expected(vm);

        Console.WriteLine("3. Linux kernel: both programs on a temporary cgroup, this process inside it");
        if (Demo.WhyNotKernel() is { } reason) Console.WriteLine($"  skipped: {reason}");
        else
        {
            try
            {
                var k = Demo.RunKernel(6);
                Print(k);
                ok &= Expected(k);
            }
            catch (Exception e) when (e is BpfException or System.Net.Sockets.SocketException or IOException)
            {
                Console.WriteLine($"  kernel step failed: {e.Message}");
                ok = false;
            }
        }
        Console.WriteLine(ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    }

    private static bool Expected(Outcome o) => o.ReadAllowed && !o.KeepaliveWriteAllowed && o.OtherWriteAllowed && o.PriorityGot == Policy.MaxPriority;

    private static void Print(Outcome o)
    {
        Console.WriteLine($"  read net.ipv4.tcp_keepalive_time: {(o.ReadAllowed ? "allowed" : "denied")}");
        Console.WriteLine($"  write net.ipv4.tcp_keepalive_time: {(o.KeepaliveWriteAllowed ? "allowed" : "denied (EPERM)")}");
        Console.WriteLine($"  write net.ipv4.tcp_keepalive_intvl: {(o.OtherWriteAllowed ? "allowed" : "denied")}");
        Console.WriteLine($"  setsockopt(SO_PRIORITY, {o.PriorityAsked}) → getsockopt says {o.PriorityGot}");
    }
}
