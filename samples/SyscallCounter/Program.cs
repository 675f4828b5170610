using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Linux;

namespace SyscallCounter;

/// <summary>A raw tracepoint syscall counter in C#: one thread's system calls by number, in the VM and in the kernel.</summary>
public static class Program
{
    public const int GetppidCalls = 1000;

    public static int Main()
    {
        var d = Syscalls.BpfObject;
        byte[] elf = d.GetElfBytes();
        string path = Path.Combine(AppContext.BaseDirectory, "Syscalls.bpf.o");
        Console.WriteLine("1. What the build produced");
        Console.WriteLine($"  object: {path}{(File.Exists(path) ? "" : " (not written)")}, {elf.Length} bytes");
        foreach (var p in d.Programs) Console.WriteLine($"  program {p.Name}: section \"{p.Section}\", {p.InstructionCount} instructions");
        foreach (var m in d.Maps) Console.WriteLine($"  map {m.Name}: {m.MapType}, {m.MaxEntries} entries");

        Console.WriteLine($"2. Managed VM: {VmDemo.Stream.Count} sys_enter events from threads {VmDemo.OurTid} and {VmDemo.OtherTid}, counting {VmDemo.OurTid}");
        var vm = VmDemo.Run();
        Console.WriteLine($"  counted: {Format(vm)}");
        var expected = VmDemo.Stream.Where(e => e.Tid == VmDemo.OurTid).GroupBy(e => e.Nr).ToDictionary(g => g.Key, g => (ulong)g.Count());
        bool ok = expected.Count == vm.Count && expected.All(e => vm.TryGetValue(e.Key, out var c) && c == e.Value);

        Console.WriteLine($"3. Linux kernel: attached to sys_enter while this thread calls getppid() {GetppidCalls} times");
        if (KernelDemo.WhyNot() is { } reason) Console.WriteLine($"  skipped: {reason}");
        else
        {
            try
            {
                var k = KernelDemo.Run(GetppidCalls);
                Console.WriteLine($"  counted: {Format(k)}");
                ok &= k.TryGetValue(SyscallNames.Getppid, out var n) && n == GetppidCalls;
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

    private static string Format(SortedDictionary<long, ulong> counts) =>
        counts.Count == 0 ? "nothing" : string.Join(", ", counts.Select(c => $"{SyscallNames.Of(c.Key)} {c.Value}"));
}
