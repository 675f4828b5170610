using System.Threading;
using CSharpBpf;

namespace SyscallCounter;

/// <summary>
/// Counts the system calls of one thread by number. The raw tracepoint sys_enter fires on every system
/// call of every process, before the call runs, with (struct pt_regs *regs, long id) as its arguments.
/// </summary>
public static unsafe partial class Syscalls
{
    /// <summary>[0] = the thread id to count (0: count nothing). Written by the loader before it attaches.</summary>
    [Map(MaxEntries = 1)] static ArrayMap<uint> Target;

    /// <summary>System call number → how often the target thread made it.</summary>
    [Map(MaxEntries = 512)] static HashMap<long, ulong> Counts;

    [RawTracepoint("sys_enter")]
    static int CountSyscall(void* regs, long id)
    {
        uint* target = Target.Lookup(0);
        if (target == null || *target == 0) return 0;
        uint tid = (uint)Bpf.GetCurrentPidTgid(); // low 32 bits: the thread id
        if (tid != *target) return 0;

        ulong* n = Counts.Lookup(id);
        if (n != null)
            Interlocked.Increment(ref *n);
        else
            Counts.Update(id, 1, MapUpdate.NoExist); // first call with this number (a racing insert just loses one count)
        return 0;
    }
}
