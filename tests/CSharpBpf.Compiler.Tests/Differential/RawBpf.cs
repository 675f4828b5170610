using System;
using System.Runtime.InteropServices;
using System.Text;

namespace CSharpBpf.Compiler.Tests.Differential;

/// <summary>
/// The two bpf(2) commands the differential tests need (PROG_LOAD of an XDP program from raw
/// instructions, PROG_TEST_RUN), kept tiny on purpose: the compiler tests must not depend on the
/// Linux loader. Attribute offsets are those of union bpf_attr in include/uapi/linux/bpf.h.
/// </summary>
internal static unsafe class RawBpf
{
    private const int BpfProgLoad = 5;
    private const int BpfProgTestRun = 10;
    public const int ProgTypeXdp = 6;

    private static long SyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        _ => throw new PlatformNotSupportedException("bpf(2) syscall number unknown for " + RuntimeInformation.ProcessArchitecture),
    };

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, long cmd, void* attr, long size);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    /// <summary>Loads a program; throws with the verifier log when the kernel refuses it.</summary>
    public static int LoadProgram(int progType, ulong[] insns, string license = "GPL")
    {
        var lic = Encoding.ASCII.GetBytes(license + "\0");
        var log = new byte[1 << 20];
        var attr = new byte[128];
        fixed (ulong* pi = insns)
        fixed (byte* pl = lic)
        fixed (byte* plog = log)
        fixed (byte* pa = attr)
        {
            *(uint*)(pa + 0) = (uint)progType;
            *(uint*)(pa + 4) = (uint)insns.Length;
            *(ulong*)(pa + 8) = (ulong)pi;
            *(ulong*)(pa + 16) = (ulong)pl;
            *(uint*)(pa + 24) = 1;          // log_level: the log is only written on failure
            *(uint*)(pa + 28) = (uint)log.Length;
            *(ulong*)(pa + 32) = (ulong)plog;
            long fd = syscall(SyscallNumber, BpfProgLoad, pa, attr.Length);
            if (fd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                string text = Encoding.ASCII.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0)));
                throw new InvalidOperationException($"BPF_PROG_LOAD failed, errno {errno}; verifier log:\n{text}");
            }
            return (int)fd;
        }
    }

    /// <summary>Runs an XDP program once on <paramref name="packet"/>; returns its return value, the packet possibly rewritten.</summary>
    public static uint TestRun(int progFd, byte[] packet, byte[] packetOut)
    {
        var attr = new byte[80];
        fixed (byte* pin = packet)
        fixed (byte* pout = packetOut)
        fixed (byte* pa = attr)
        {
            *(uint*)(pa + 0) = (uint)progFd;
            *(uint*)(pa + 8) = (uint)packet.Length;
            *(uint*)(pa + 12) = (uint)packetOut.Length;
            *(ulong*)(pa + 16) = (ulong)pin;
            *(ulong*)(pa + 24) = (ulong)pout;
            *(uint*)(pa + 32) = 1;
            long r = syscall(SyscallNumber, BpfProgTestRun, pa, attr.Length);
            if (r < 0) throw new InvalidOperationException($"BPF_PROG_TEST_RUN failed, errno {Marshal.GetLastPInvokeError()}");
            return *(uint*)(pa + 4);
        }
    }

    public static void Close(int fd)
    {
        if (fd >= 0) close(fd);
    }
}
