using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.Linux.Native;

/// <summary>The few libc entry points the loader needs besides bpf(2).</summary>
public static unsafe class Libc
{
    public const int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;

    [DllImport("libc", SetLastError = true)]
    public static extern long syscall(long number, long a1, void* a2, long a3);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    [DllImport("libc", SetLastError = true, EntryPoint = "open")]
    private static extern int open_(byte* path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    public static extern int setsockopt(int fd, int level, int name, void* value, int len);

    [DllImport("libc", SetLastError = true)]
    public static extern int getsockopt(int fd, int level, int name, void* value, int* len);

    [DllImport("libc", SetLastError = true)]
    public static extern uint if_nametoindex(string name);

    [DllImport("libc", SetLastError = true)]
    public static extern int getpid();

    [DllImport("libc", SetLastError = true)]
    public static extern int mount(string source, string target, string fstype, ulong flags, IntPtr data);

    [DllImport("libc", SetLastError = true)]
    public static extern int umount2(string target, int flags);

    public static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>Opens a path read-only (directories allowed) and returns an owned handle; throws with errno on failure.</summary>
    public static BpfFd Open(string path, int flags = O_RDONLY | O_CLOEXEC)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            int fd = open_(p, flags, 0);
            if (fd < 0) throw new BpfSyscallException("open", LastErrno, path);
            return new BpfFd(fd);
        }
    }

    /// <summary>Count of this process's open file descriptors (for leak checks).</summary>
    public static int OpenFdCount() => System.IO.Directory.GetFileSystemEntries("/proc/self/fd").Length;
}
