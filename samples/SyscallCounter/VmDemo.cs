using System.Collections.Generic;
using System.Linq;

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
    public static SortedDictionary<long, ulong> Run()
    {
        using var vm = Syscalls.LoadVm();
        // bpf_get_current_pid_tgid: the VM has no processes, so the demo says which thread is "running".
        var task = vm.Host.Machine.Helpers.CurrentTask;
        task.Tgid = 1000;
        vm.Maps.Target[0] = OurTid;
        foreach (var (tid, nr) in Stream)
        {
            task.Pid = tid;
            vm.Programs.CountSyscall.Run(0, unchecked((ulong)nr)); // raw_tp sys_enter args: regs, id
        }
        var counts = new SortedDictionary<long, ulong>();
        foreach (var nr in vm.Maps.Counts.Keys) counts[nr] = vm.Maps.Counts[nr];
        return counts;
    }
}
