using System;
using System.Runtime.InteropServices;
using System.Text;
using CSharpBpf.Object.Isa;

namespace CSharpBpf.Benchmarks;

/// <summary>Copy of tests/CSharpBpf.Vm.Tests/KernelAgreement/RawBpf.cs for the VM-vs-kernel benchmarks.
/// 
/// The few bpf(2) commands the agreement tests need (MAP_CREATE, MAP_LOOKUP_ELEM, PROG_LOAD,
/// PROG_TEST_RUN), as raw syscalls: the VM assembly must not reference the Linux loader, and this
/// keeps the comparison independent of it. Every fd is returned in a <see cref="Fd"/> to dispose.
/// </summary>
internal static unsafe class VmKernelBpf
{
    private const int MapCreate = 0, MapLookupElem = 1, ProgLoad = 5, ProgTestRun = 10;
    public const uint ProgTypeXdp = 6, MapTypeArray = 2;

    [DllImport("libc", SetLastError = true)]
    private static extern long syscall(long number, long cmd, void* attr, uint size);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc")]
    private static extern int clock_gettime(int clock, out Timespec ts);

    /// <summary>CPU time this thread has consumed (CLOCK_THREAD_CPUTIME_ID): time spent preempted does not count,
    /// just as the kernel's test_run duration excludes the time it yields the CPU.</summary>
    public static long ThreadCpuNs()
    {
        clock_gettime(3, out var ts);
        return ts.Seconds * 1_000_000_000 + ts.Nanoseconds;
    }

    private static long SysBpf => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        var a => throw new PlatformNotSupportedException($"bpf(2) number unknown for {a}"),
    };

    public sealed class Fd : IDisposable
    {
        public Fd(int value) => Value = value;
        public int Value { get; private set; }

        public void Dispose()
        {
            if (Value >= 0) close(Value);
            Value = -1;
        }
    }

    private static long Bpf(int cmd, byte[] attr, string what)
    {
        fixed (byte* a = attr)
        {
            long r = syscall(SysBpf, cmd, a, (uint)attr.Length);
            if (r < 0) throw new InvalidOperationException($"bpf({what}) failed: errno {Marshal.GetLastPInvokeError()}");
            return r;
        }
    }

    public static Fd CreateArray(int valueSize, int maxEntries)
    {
        var attr = new byte[72];
        BitConverter.TryWriteBytes(attr.AsSpan(0), MapTypeArray);
        BitConverter.TryWriteBytes(attr.AsSpan(4), 4u);
        BitConverter.TryWriteBytes(attr.AsSpan(8), (uint)valueSize);
        BitConverter.TryWriteBytes(attr.AsSpan(12), (uint)maxEntries);
        return new Fd((int)Bpf(MapCreate, attr, "MAP_CREATE"));
    }

    public static byte[] Lookup(Fd map, uint key, int valueSize)
    {
        var value = new byte[valueSize];
        var attr = new byte[32];
        fixed (byte* v = value)
        {
            BitConverter.TryWriteBytes(attr.AsSpan(0), (uint)map.Value);
            BitConverter.TryWriteBytes(attr.AsSpan(8), (ulong)&key);
            BitConverter.TryWriteBytes(attr.AsSpan(16), (ulong)v);
            Bpf(MapLookupElem, attr, "MAP_LOOKUP_ELEM");
        }
        return value;
    }

    public static Fd LoadXdp(Instruction[] program) => LoadXdp(program, withLog: false);

    // A verbose log of a long loop overflows any buffer (ENOSPC), so load quietly first and ask for the log only to explain a failure.
    private static Fd LoadXdp(Instruction[] program, bool withLog)
    {
        var insns = InstructionCodec.Encode(program);
        var license = Encoding.ASCII.GetBytes("GPL\0");
        var log = new byte[1 << 16];
        var attr = new byte[128];
        fixed (byte* i = insns, l = license, lg = log)
        {
            BitConverter.TryWriteBytes(attr.AsSpan(0), ProgTypeXdp);
            BitConverter.TryWriteBytes(attr.AsSpan(4), (uint)program.Length);
            BitConverter.TryWriteBytes(attr.AsSpan(8), (ulong)i);
            BitConverter.TryWriteBytes(attr.AsSpan(16), (ulong)l);
            if (withLog)
            {
                BitConverter.TryWriteBytes(attr.AsSpan(24), 1u);
                BitConverter.TryWriteBytes(attr.AsSpan(28), (uint)log.Length);
                BitConverter.TryWriteBytes(attr.AsSpan(32), (ulong)lg);
            }
            Encoding.ASCII.GetBytes("csbpf_vm_agree").CopyTo(attr.AsSpan(48));
            fixed (byte* a = attr)
            {
                long r = syscall(SysBpf, ProgLoad, a, (uint)attr.Length);
                if (r < 0 && !withLog) return LoadXdp(program, withLog: true);
                if (r < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    int end = Array.IndexOf(log, (byte)0);
                    throw new InvalidOperationException($"PROG_LOAD failed: errno {errno}\n{Encoding.ASCII.GetString(log, 0, end < 0 ? log.Length : end)}");
                }
                return new Fd((int)r);
            }
        }
    }

    /// <summary>BPF_PROG_TEST_RUN: retval, the packet afterwards, and the kernel's average ns per run.</summary>
    public static (uint Retval, byte[] DataOut, uint DurationNs) TestRun(Fd prog, byte[] data, uint repeat = 1)
    {
        var output = new byte[data.Length + 256];
        var attr = new byte[80];
        fixed (byte* d = data, o = output)
        {
            BitConverter.TryWriteBytes(attr.AsSpan(0), (uint)prog.Value);
            BitConverter.TryWriteBytes(attr.AsSpan(8), (uint)data.Length);
            BitConverter.TryWriteBytes(attr.AsSpan(12), (uint)output.Length);
            BitConverter.TryWriteBytes(attr.AsSpan(16), (ulong)d);
            BitConverter.TryWriteBytes(attr.AsSpan(24), (ulong)o);
            BitConverter.TryWriteBytes(attr.AsSpan(32), repeat);
            Bpf(ProgTestRun, attr, "PROG_TEST_RUN");
        }
        uint retval = BitConverter.ToUInt32(attr, 4);
        uint outSize = BitConverter.ToUInt32(attr, 12);
        uint duration = BitConverter.ToUInt32(attr, 36);
        return (retval, output.AsSpan(0, (int)Math.Min(outSize, (uint)output.Length)).ToArray(), duration);
    }
}
