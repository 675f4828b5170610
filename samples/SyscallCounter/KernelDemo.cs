using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace SyscallCounter;

/// <summary>Attaches the program to sys_enter, makes a known number of system calls on this thread, detaches, reads the map.</summary>
public static partial class KernelDemo
{
    [LibraryImport("libc", SetLastError = true)] private static partial int getppid();
    [LibraryImport("libc", SetLastError = true)] private static partial int gettid();

    public static SortedDictionary<long, ulong> Run(int getppidCalls)
    {
        using var bpf = Syscalls.LoadKernel();
        bpf.Maps.Target[0] = (uint)gettid();
        using (bpf.AttachTracing()) // CountSyscall on raw_tp sys_enter
        {
            for (int i = 0; i < getppidCalls; i++) getppid();
        }
        var counts = new SortedDictionary<long, ulong>();
        foreach (var nr in bpf.Maps.Counts.Keys)
            if (bpf.Maps.Counts.TryLookup(nr, out var n)) counts[nr] = n;
        return counts;
    }

    public static string? WhyNot()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64) return "the syscall numbers shown are x86_64's";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1";
        if (Environment.UserName != "root") return "not root: attaching a raw tracepoint needs CAP_BPF and CAP_PERFMON (run as root for the kernel step)";
        return null;
    }
}
