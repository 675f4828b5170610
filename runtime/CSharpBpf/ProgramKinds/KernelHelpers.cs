using CSharpBpf.Kernel;

namespace CSharpBpf;

/// <summary>
/// Helpers of the socket and cgroup program kinds (sock_ops, cgroup sysctl, cgroup sockopt), with
/// the kernel's ids and argument types. Only meaningful inside a compiled program.
/// </summary>
public static unsafe class KernelHelpers
{
    /// <summary>bpf_setsockopt (49): setsockopt on the program's socket (sock_ops, sockopt, struct_ops contexts).</summary>
    [Helper(49)] public static long SetSockopt(void* ctx, int level, int optname, void* optval, int optlen) => throw BpfOnlyException.For(nameof(SetSockopt));

    /// <summary>bpf_getsockopt (57).</summary>
    [Helper(57)] public static long GetSockopt(void* ctx, int level, int optname, void* optval, int optlen) => throw BpfOnlyException.For(nameof(GetSockopt));

    /// <summary>bpf_sock_ops_cb_flags_set (59): which further sock_ops callbacks this socket gets (BPF_SOCK_OPS_*_CB_FLAG).</summary>
    [Helper(59)] public static long SockOpsCbFlagsSet(bpf_sock_ops* ctx, int flags) => throw BpfOnlyException.For(nameof(SockOpsCbFlagsSet));

    /// <summary>bpf_get_socket_cookie (46) of a sock_ops socket.</summary>
    [Helper(46)] public static ulong GetSocketCookie(bpf_sock_ops* ctx) => throw BpfOnlyException.For(nameof(GetSocketCookie));

    /// <summary>bpf_sysctl_get_name (101): the sysctl's name (flags 1 = BPF_F_SYSCTL_BASE_NAME: without the path); length or -E2BIG.</summary>
    [Helper(101)] public static long SysctlGetName(bpf_sysctl* ctx, byte* buf, ulong size, ulong flags) => throw BpfOnlyException.For(nameof(SysctlGetName));

    /// <summary>bpf_sysctl_get_current_value (102).</summary>
    [Helper(102)] public static long SysctlGetCurrentValue(bpf_sysctl* ctx, byte* buf, ulong size) => throw BpfOnlyException.For(nameof(SysctlGetCurrentValue));

    /// <summary>bpf_sysctl_get_new_value (103): the value being written (writes only).</summary>
    [Helper(103)] public static long SysctlGetNewValue(bpf_sysctl* ctx, byte* buf, ulong size) => throw BpfOnlyException.For(nameof(SysctlGetNewValue));

    /// <summary>bpf_sysctl_set_new_value (104): replaces the value being written.</summary>
    [Helper(104)] public static long SysctlSetNewValue(bpf_sysctl* ctx, byte* buf, ulong size) => throw BpfOnlyException.For(nameof(SysctlSetNewValue));
}

/// <summary>Flags of <see cref="SkStorageMap{T}.Get"/>.</summary>
public enum SkStorageGet : ulong
{
    /// <summary>Only look up.</summary>
    Lookup = 0,
    /// <summary>BPF_LOCAL_STORAGE_GET_F_CREATE: create the socket's value (from the initial value) when absent.</summary>
    Create = 1,
}
