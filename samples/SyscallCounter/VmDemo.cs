using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm.Maps;

namespace SyscallCounter;

/// <summary>Runs the program in the managed VM on a made-up stream of system calls from two threads.</summary>
public static class VmDemo
{
    public const uint OurTid = 4242, OtherTid = 777;

    /// <summary>The stream: (thread, syscall number), as sys_enter would see it.</summary>
    public static IReadOnlyList<(uint Tid, long Nr)> Stream { get; } = Enumerable.Range(0, 40).Select(Event).ToList();

    private static (uint Tid, long Nr) Event(int i) => (i % 4) switch
    {
        0 => (OurTid, SyscallNames.Getppid),
        1 => (OtherTid, SyscallNames.Read),
        2 => (OurTid, i % 8 == 2 ? SyscallNames.Write : SyscallNames.Getppid),
        _ => (OtherTid, SyscallNames.Getppid),
    };

    /// <returns>Counts by syscall number, read back from the map.</returns>
    public static SortedDictionary<long, ulong> Run(byte[] elf)
    {
        using var host = new BpfTestHost(ExecutionEngine.Interpreter);
        uint current = 0;
        // bpf_get_current_pid_tgid: the VM has no processes, so the demo says which thread is "running".
        host.Machine.Helpers.Register(14, "bpf_get_current_pid_tgid", (m, a) => (ulong)1000 << 32 | current);
        var obj = host.LoadObject(elf);
        var prog = obj.Program("CountSyscall");
        obj.Map<ArrayMap>("Target").Set(0, BitConverter.GetBytes(OurTid));
        foreach (var (tid, nr) in Stream)
        {
            current = tid;
            host.RunWithArgs(prog, 0, unchecked((ulong)nr));
        }
        var counts = new SortedDictionary<long, ulong>();
        var map = obj.Map("Counts");
        foreach (var key in map.Keys) counts[BitConverter.ToInt64(key, 0)] = BitConverter.ToUInt64(map.Lookup(key)!, 0);
        return counts;
    }
}
