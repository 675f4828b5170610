using System;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace CSharpBpf.Object.Tests.Kernel;

/// <summary>
/// A minimal bpf(2) binding kept inside the test project (CSharpBpf.Object must not know the
/// kernel, and this test must not depend on CSharpBpf.Linux): BTF_LOAD, PROG_LOAD, PROG_TEST_RUN.
/// Attribute layouts follow include/uapi/linux/bpf.h.
/// </summary>
internal static unsafe class RawBpf
{
    private const int ProgLoad = 5;
    private const int ProgTestRun = 10;
    private const int BtfLoad = 18;
    private const int AttrSize = 160;
    public const uint ProgTypeXdp = 6;

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, long cmd, void* attr, long size);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    private static long SyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        var a => throw new PlatformNotSupportedException($"bpf(2) syscall number unknown for {a}"),
    };

    private static int Call(int cmd, byte* attr, string what, byte[]? log)
    {
        long r = syscall(SyscallNumber, cmd, attr, AttrSize);
        if (r < 0)
        {
            int errno = Marshal.GetLastWin32Error();
            string text = log is null ? "" : "\n" + Encoding.UTF8.GetString(log).TrimEnd('\0');
            throw new InvalidOperationException($"{what} failed: errno {errno} ({new Win32Exception(errno).Message}){text}");
        }
        return (int)r;
    }

    public static int LoadBtf(byte[] btf)
    {
        var log = new byte[1 << 16];
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        fixed (byte* pBtf = btf)
        fixed (byte* pLog = log)
        {
            *(ulong*)(attr + 0) = (ulong)pBtf;
            *(ulong*)(attr + 8) = (ulong)pLog;
            *(uint*)(attr + 16) = (uint)btf.Length;
            *(uint*)(attr + 20) = (uint)log.Length;
            *(uint*)(attr + 24) = 1; // log level: the log explains a rejection
            return Call(BtfLoad, attr, "BPF_BTF_LOAD", log);
        }
    }

    /// <summary>func_info: (insn index, FUNC type id); line_info: (insn index, file name off, line off, line_col).</summary>
    public static int LoadProgram(uint progType, byte[] insns, string license, string name, int btfFd,
        uint[] funcInfo, uint[] lineInfo)
    {
        var log = new byte[1 << 16];
        var lic = Encoding.ASCII.GetBytes(license + "\0");
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        fixed (byte* pInsns = insns)
        fixed (byte* pLic = lic)
        fixed (byte* pLog = log)
        fixed (uint* pFunc = funcInfo)
        fixed (uint* pLine = lineInfo)
        {
            *(uint*)(attr + 0) = progType;
            *(uint*)(attr + 4) = (uint)(insns.Length / 8);
            *(ulong*)(attr + 8) = (ulong)pInsns;
            *(ulong*)(attr + 16) = (ulong)pLic;
            *(uint*)(attr + 24) = 1;
            *(uint*)(attr + 28) = (uint)log.Length;
            *(ulong*)(attr + 32) = (ulong)pLog;
            var n = Encoding.ASCII.GetBytes(name);
            for (int i = 0; i < Math.Min(15, n.Length); i++) attr[48 + i] = n[i];
            *(uint*)(attr + 72) = (uint)btfFd;
            *(uint*)(attr + 76) = 8;
            *(ulong*)(attr + 80) = (ulong)pFunc;
            *(uint*)(attr + 88) = (uint)(funcInfo.Length / 2);
            *(uint*)(attr + 92) = 16;
            *(ulong*)(attr + 96) = (ulong)pLine;
            *(uint*)(attr + 104) = (uint)(lineInfo.Length / 4);
            return Call(ProgLoad, attr, "BPF_PROG_LOAD", log);
        }
    }

    /// <summary>BPF_PROG_TEST_RUN once over <paramref name="packet"/>; returns the program's return value.</summary>
    public static uint TestRun(int progFd, byte[] packet)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        var output = new byte[packet.Length + 256];
        fixed (byte* pIn = packet)
        fixed (byte* pOut = output)
        {
            *(uint*)(attr + 0) = (uint)progFd;
            *(uint*)(attr + 8) = (uint)packet.Length;
            *(uint*)(attr + 12) = (uint)output.Length;
            *(ulong*)(attr + 16) = (ulong)pIn;
            *(ulong*)(attr + 24) = (ulong)pOut;
            *(uint*)(attr + 32) = 1;
            Call(ProgTestRun, attr, "BPF_PROG_TEST_RUN", null);
            return *(uint*)(attr + 4);
        }
    }
}
