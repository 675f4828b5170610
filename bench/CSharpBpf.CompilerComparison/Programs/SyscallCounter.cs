// raw_tp (issue 4): counts system calls by number (below 512) in an array map.
// Twin: ../../twins/syscall_counter.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class SyscallCounter
{
    [Map(MaxEntries = 512)] static ArrayMap<ulong> syscalls;

    [RawTracepoint("sys_enter")]
    static int count_syscalls(void* regs, long id)
    {
        if (id < 0 || id >= 512) return 0;
        ulong* n = syscalls.Lookup((uint)id);
        if (n != null) *n += 1;
        return 0;
    }
}
