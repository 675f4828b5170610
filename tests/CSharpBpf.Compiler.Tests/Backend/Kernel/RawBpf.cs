using System;
using System.Runtime.InteropServices;
using System.Text;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Compiler.Tests.Backend.Kernel;

/// <summary>
/// The smallest bpf(2) surface the backend tests need: load a program from raw instructions
/// and run it once through BPF_PROG_TEST_RUN. Kept here (not CSharpBpf.Linux) because the
/// compiler test project must not depend on the loader. x86-64 syscall numbering.
/// </summary>
internal static unsafe class RawBpf
{
    private const long SysBpf = 321;
    private const int BpfProgLoad = 5;
    private const int BpfProgTestRun = 10;
    public const int ProgTypeXdp = 6;
    public const int ProgTypeSocketFilter = 1;

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, long cmd, void* attr, long size);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    /// <summary>Loads the program; throws with the verifier log when the kernel refuses it.</summary>
    public static int Load(Instruction[] code, int progType = ProgTypeXdp, string license = "GPL")
    {
        var bytes = new byte[code.Length * 8];
        for (int i = 0; i < code.Length; i++)
            InstructionCodec.EncodeSlot(code[i], bytes, i * 8);
        var lic = Encoding.ASCII.GetBytes(license + "\0");
        var log = new byte[1 << 20];
        var attr = new byte[128];
        fixed (byte* pInsns = bytes)
        fixed (byte* pLic = lic)
        fixed (byte* pLog = log)
        fixed (byte* a = attr)
        {
            *(uint*)(a + 0) = (uint)progType;
            *(uint*)(a + 4) = (uint)code.Length;
            *(ulong*)(a + 8) = (ulong)pInsns;
            *(ulong*)(a + 16) = (ulong)pLic;
            *(uint*)(a + 24) = 1; // log level: the log only matters when the load fails
            *(uint*)(a + 28) = (uint)log.Length;
            *(ulong*)(a + 32) = (ulong)pLog;
            long fd = syscall(SysBpf, BpfProgLoad, a, attr.Length);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                // Retry without a log when the kernel is fine but the log overflowed (ENOSPC).
                string text = Encoding.ASCII.GetString(log).TrimEnd('\0');
                throw new InvalidOperationException($"BPF_PROG_LOAD failed, errno {errno}\n{text}");
            }
            return (int)fd;
        }
    }

    /// <summary>Runs the program once on <paramref name="data"/>; returns r0 and the data after the run.</summary>
    public static (uint ret, byte[] dataOut) TestRun(int progFd, byte[] data)
    {
        var outBuf = new byte[data.Length + 256];
        var attr = new byte[80];
        fixed (byte* pIn = data)
        fixed (byte* pOut = outBuf)
        fixed (byte* a = attr)
        {
            *(uint*)(a + 0) = (uint)progFd;
            *(uint*)(a + 8) = (uint)data.Length;
            *(uint*)(a + 12) = (uint)outBuf.Length;
            *(ulong*)(a + 16) = (ulong)pIn;
            *(ulong*)(a + 24) = (ulong)pOut;
            *(uint*)(a + 32) = 1;
            long r = syscall(SysBpf, BpfProgTestRun, a, attr.Length);
            if (r < 0) throw new InvalidOperationException($"BPF_PROG_TEST_RUN failed, errno {Marshal.GetLastWin32Error()}");
            uint ret = *(uint*)(a + 4);
            uint outSize = *(uint*)(a + 12);
            var result = new byte[Math.Min(outSize, (uint)outBuf.Length)];
            Array.Copy(outBuf, result, result.Length);
            return (ret, result);
        }
    }

    public static void Close(int fd)
    {
        if (fd >= 0) close(fd);
    }
}
