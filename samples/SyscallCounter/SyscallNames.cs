using System.Collections.Generic;

namespace SyscallCounter;

/// <summary>Names of the x86_64 system call numbers this sample shows (arch/x86/entry/syscalls/syscall_64.tbl).</summary>
public static class SyscallNames
{
    public const long Read = 0, Write = 1, Close = 3, Fstat = 5, Lseek = 8, Mmap = 9, Mprotect = 10, Munmap = 11, Getpid = 39, Getppid = 110, Gettid = 186, Openat = 257;

    private static readonly Dictionary<long, string> Names = new()
    {
        [Read] = "read", [Write] = "write", [Close] = "close", [Fstat] = "fstat", [Lseek] = "lseek", [Mmap] = "mmap", [Mprotect] = "mprotect", [Munmap] = "munmap",
        [Getpid] = "getpid", [Getppid] = "getppid", [Gettid] = "gettid", [Openat] = "openat",
    };

    public static string Of(long nr) => Names.TryGetValue(nr, out var n) ? n : $"#{nr}";
}
