using System;
using System.Buffers.Binary;
using System.Diagnostics;

namespace CSharpBpf;

/// <summary>
/// Kernel helper functions callable from a BPF program, with their real argument types. The compiler
/// lowers each call to <c>call &lt;helper id&gt;</c>. Natively, the ones with an obvious .NET meaning
/// (clock, random, memory copy) behave like the kernel's so differential tests can call them; the others throw
/// <see cref="BpfOnlyException"/>.
/// </summary>
public static unsafe class Bpf
{
    /// <summary>bpf_ktime_get_ns (helper 5): monotonic nanoseconds.</summary>
    public static ulong KtimeGetNs() => (ulong)((double)Stopwatch.GetTimestamp() * 1_000_000_000.0 / Stopwatch.Frequency);

    /// <summary>bpf_get_prandom_u32 (helper 7): a pseudo-random uint.</summary>
    public static uint GetPrandomU32() => (uint)Random.Shared.NextInt64(0, 1L << 32);

    /// <summary>bpf_get_current_pid_tgid (helper 14): the current task's thread group id (the process id user space
    /// sees) in the upper 32 bits and its thread id in the lower 32. Natively: this process's id and, on Linux, the
    /// calling thread's id (gettid; 0 elsewhere); in the VM: the simulated task of <c>HelperTable.CurrentTask</c>.</summary>
    public static ulong GetCurrentPidTgid() => (ulong)(uint)Environment.ProcessId << 32 | (uint)NativeThread.Id();

    /// <summary>Host to network (big-endian) order of a 16-bit value, like C's htons / bpf_htons: one be16 instruction.</summary>
    public static ushort Htons(ushort hostValue) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(hostValue) : hostValue;

    /// <summary>Network (big-endian) to host order of a 16-bit value, like C's ntohs / bpf_ntohs: one be16 instruction.</summary>
    public static ushort Ntohs(ushort networkValue) => Htons(networkValue);

    /// <summary>Host to network (big-endian) order of a 32-bit value, like C's htonl / bpf_htonl: one be32 instruction.</summary>
    public static uint Htonl(uint hostValue) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(hostValue) : hostValue;

    /// <summary>Network (big-endian) to host order of a 32-bit value, like C's ntohl / bpf_ntohl: one be32 instruction.</summary>
    public static uint Ntohl(uint networkValue) => Htonl(networkValue);

    /// <summary>bpf_trace_printk (helper 6) with a constant format string (at most three %d/%u/%x/%llu… arguments);
    /// the format must be a string literal or const. Writes to /sys/kernel/tracing/trace_pipe.</summary>
    public static long TracePrintk(string format) => throw BpfOnlyException.For("Bpf.TracePrintk");

    /// <inheritdoc cref="TracePrintk(string)"/>
    public static long TracePrintk(string format, ulong arg1) => throw BpfOnlyException.For("Bpf.TracePrintk");

    /// <inheritdoc cref="TracePrintk(string)"/>
    public static long TracePrintk(string format, ulong arg1, ulong arg2) => throw BpfOnlyException.For("Bpf.TracePrintk");

    /// <inheritdoc cref="TracePrintk(string)"/>
    public static long TracePrintk(string format, ulong arg1, ulong arg2, ulong arg3) => throw BpfOnlyException.For("Bpf.TracePrintk");

    /// <summary>bpf_get_socket_cookie (helper 46) of the socket an skb belongs to (0 when none).</summary>
    public static ulong GetSocketCookie(Kernel.__sk_buff* skb) => throw BpfOnlyException.For("Bpf.GetSocketCookie");

    /// <summary>bpf_sk_fullsock (helper 95): the full socket behind <paramref name="sk"/>, or null.</summary>
    public static Kernel.bpf_sock* SkFullsock(Kernel.bpf_sock* sk) => throw BpfOnlyException.For("Bpf.SkFullsock");

    /// <summary>bpf_xdp_adjust_head (helper 44): moves the start of the packet by <paramref name="delta"/> bytes
    /// (negative = prepend room for a header from the headroom, positive = strip bytes off the front). 0 or -EINVAL
    /// (the new start would leave the headroom or leave fewer than 14 bytes). Every packet pointer taken before the
    /// call is invalid afterwards: reload <c>ctx-&gt;data</c> / <c>ctx-&gt;data_end</c> and check the bounds again.</summary>
    [Helper(44)]
    public static long XdpAdjustHead(Kernel.xdp_md* ctx, int delta) => throw BpfOnlyException.For("Bpf.XdpAdjustHead");

    /// <summary>bpf_xdp_adjust_tail (helper 65): moves the end of the packet by <paramref name="delta"/> bytes
    /// (negative = trim, positive = grow into the frame's tailroom; grown bytes are zero). 0 or -EINVAL (fewer than
    /// 14 bytes would remain, or the frame has no room). Packet pointers are invalid afterwards, as for
    /// <see cref="XdpAdjustHead"/>.</summary>
    [Helper(65)]
    public static long XdpAdjustTail(Kernel.xdp_md* ctx, int delta) => throw BpfOnlyException.For("Bpf.XdpAdjustTail");

    /// <summary>bpf_skb_pull_data (helper 39, tc): makes the first <paramref name="length"/> bytes (0 = the linear part)
    /// directly readable and writable through <c>skb-&gt;data</c>. 0 or -ENOMEM (the packet is shorter). Packet pointers
    /// are invalid afterwards: reload <c>skb-&gt;data</c> / <c>skb-&gt;data_end</c> and check the bounds again.</summary>
    [Helper(39)]
    public static long SkbPullData(Kernel.__sk_buff* skb, uint length) => throw BpfOnlyException.For("Bpf.SkbPullData");

    /// <summary>bpf_skb_change_head (helper 43, tc): puts <paramref name="headRoom"/> zero bytes in front of the packet
    /// (room for a new mac header; skb-&gt;len grows). 0 or a negative errno (-EINVAL: <paramref name="flags"/> not 0
    /// or the packet would exceed the kernel's limit). Packet pointers are invalid afterwards, as for
    /// <see cref="SkbPullData"/>.</summary>
    [Helper(43)]
    public static long SkbChangeHead(Kernel.__sk_buff* skb, uint headRoom, ulong flags) => throw BpfOnlyException.For("Bpf.SkbChangeHead");

    /// <summary>bpf_probe_read_kernel (helper 113): copies <paramref name="size"/> bytes from kernel memory.
    /// 0 or a negative errno (natively: a plain memory copy, always 0).</summary>
    public static long ProbeReadKernel(void* dst, uint size, void* unsafePtr)
    {
        Buffer.MemoryCopy(unsafePtr, dst, size, size);
        return 0;
    }
}

/// <summary>The OS thread id, which is the kernel's "pid" of a thread (Environment.CurrentManagedThreadId is not).</summary>
internal static class NativeThread
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "gettid")]
    private static extern int gettid();

    public static int Id() => OperatingSystem.IsLinux() ? gettid() : 0;
}
