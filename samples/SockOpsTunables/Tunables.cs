using System.Threading;
using CSharpBpf;
using CSharpBpf.Kernel;

namespace SockOpsTunables;

/// <summary>
/// A sock_ops program: attached to a cgroup, the kernel calls it at points of the life of every TCP
/// connection made by the cgroup's processes (ctx->op says which), and for some of them uses the value
/// the program stores in ctx->reply. Here it tunes connections instead of a sysctl that would apply to all.
/// </summary>
public static unsafe partial class Tunables
{
    // enum BPF_SOCK_OPS_* (include/uapi/linux/bpf.h)
    public const uint TimeoutInit = 1, RwndInit = 2, TcpConnectCb = 3, ActiveEstablishedCb = 4, PassiveEstablishedCb = 5;

    // bpf_setsockopt levels and names: SOL_TCP, TCP_NODELAY, TCP_BPF_IW (initial congestion window, BPF-only)
    const int SOL_TCP = 6, TCP_NODELAY = 1, TCP_BPF_IW = 1001;

    /// <summary>The SYN retransmission timeout, in jiffies (the kernel's default is 1 s).</summary>
    public const int SynRtoJiffies = 300;

    /// <summary>The initial receive window to advertise, in segments.</summary>
    public const int InitialRwndSegments = 40;

    /// <summary>The initial congestion window of established connections, in segments (the kernel's default is 10).</summary>
    public const int InitialCwnd = 40;

    /// <summary>How often each op was seen (index = op).</summary>
    [Map(MaxEntries = 16)] static ArrayMap<ulong> Ops;

    [SockOps]
    static int Tune(bpf_sock_ops* skops)
    {
        uint op = skops->op;
        ulong* n = Ops.Lookup(op);
        if (n != null) Interlocked.Increment(ref *n);

        switch (op)
        {
            case TimeoutInit:
                // The kernel uses a positive reply as the SYN's RTO instead of TCP_TIMEOUT_INIT.
                skops->reply = SynRtoJiffies;
                break;
            case RwndInit:
                // A positive reply caps the initial receive window, in segments.
                skops->reply = InitialRwndSegments;
                break;
            case ActiveEstablishedCb:
            case PassiveEstablishedCb:
                // The connection is up and nothing is sent yet: bpf_setsockopt may change it now.
                int one = 1, iw = InitialCwnd;
                KernelHelpers.SetSockopt(skops, SOL_TCP, TCP_NODELAY, &one, sizeof(int));
                KernelHelpers.SetSockopt(skops, SOL_TCP, TCP_BPF_IW, &iw, sizeof(int));
                break;
        }
        return 1;
    }
}
