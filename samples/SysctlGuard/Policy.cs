using CSharpBpf;
using CSharpBpf.Kernel;

namespace SysctlGuard;

/// <summary>
/// Two cgroup policies for the processes of one cgroup: its processes may read but not change
/// net.ipv4.tcp_keepalive_time (a cgroup/sysctl program returning 0 makes the write fail with EPERM),
/// and socket priorities they set with setsockopt(SO_PRIORITY) are capped (a cgroup/setsockopt program
/// rewrites the value before the kernel applies it).
/// </summary>
public static unsafe partial class Policy
{
    const ulong BPF_F_SYSCTL_BASE_NAME = 1;
    const int SOL_SOCKET = 1, SO_PRIORITY = 12;

    /// <summary>The highest SO_PRIORITY a process of the cgroup gets.</summary>
    public const int MaxPriority = 3;

    // The base name "tcp_keepalive_time" (18 bytes) as three little-endian 8-byte words: BPF programs
    // compare names word by word ("tcp_keep", "alive_ti", "me").
    const ulong TcpKeep = 0x7065656b5f706374, AliveTi = 0x69745f6576696c61, Me = 0x656d;

    [CgroupSysctl]
    static int GuardSysctl(bpf_sysctl* ctx)
    {
        if (ctx->write == 0) return 1; // reads are always allowed
        ulong* name = stackalloc ulong[4];
        name[0] = 0; name[1] = 0; name[2] = 0; name[3] = 0;
        long n = KernelHelpers.SysctlGetName(ctx, (byte*)name, 32, BPF_F_SYSCTL_BASE_NAME);
        bool keepaliveTime = n == 18 && name[0] == TcpKeep && name[1] == AliveTi && name[2] == Me;
        return keepaliveTime ? 0 : 1; // 0: the write fails with EPERM
    }

    [CgroupSockopt(SockoptDirection.Set)]
    static int CapPriority(bpf_sockopt* ctx)
    {
        if (ctx->level != SOL_SOCKET || ctx->optname != SO_PRIORITY) return 1;
        int* value = (int*)ctx->optval;
        // optval points into a kernel buffer of optlen bytes: the verifier wants the bound checked.
        if ((byte*)(value + 1) > ctx->optval_end) return 1;
        if (*value > MaxPriority) *value = MaxPriority;
        return 1; // 1: let the (possibly rewritten) setsockopt proceed
    }
}
