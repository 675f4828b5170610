using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.TestSupport.RawBpf;

/// <summary>
/// The libc entry points the raw helpers use, in one place. bpf(2) goes through syscall(2)
/// because glibc has no bpf() wrapper.
/// </summary>
internal static unsafe class Native
{
    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, long cmd, void* attr, uint size);

    [DllImport("libc", SetLastError = true)]
    internal static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    internal static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    internal static extern int clock_gettime(int clock, out Timespec ts);

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>
    /// Size passed for every command: at least the kernel's union bpf_attr for the fields used here.
    /// The kernel accepts a larger size as long as the tail is zero, and zero-fills a smaller one.
    /// </summary>
    internal const int AttrSize = 160;

    private static long SysBpf => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        var a => throw new PlatformNotSupportedException($"bpf(2) syscall number unknown for {a}"),
    };

    /// <summary>
    /// bpf(cmd, attr): the non-negative result, or minus the errno, read right after the call
    /// (anything run in between could overwrite it).
    /// </summary>
    internal static long Bpf(BpfCommand cmd, byte* attr)
    {
        long r = syscall(SysBpf, (long)cmd, attr, AttrSize);
        return r < 0 ? -Marshal.GetLastPInvokeError() : r;
    }

    /// <summary>bpf(cmd, attr) for commands that cannot fail in a way the caller handles: throws the typed error.</summary>
    internal static long BpfOrThrow(BpfCommand cmd, byte* attr, string? what = null)
    {
        long r = Bpf(cmd, attr);
        if (r < 0) throw new BpfSyscallException(cmd, (BpfErrno)(-r), "", what);
        return r;
    }
}
