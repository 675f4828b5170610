using CSharpBpf.Kernel;

namespace CSharpBpf;

/// <summary>
/// Kernel functions (kfuncs) programs may call, with the kernel's names and types. Only meaningful
/// inside a compiled program (natively they throw <see cref="BpfOnlyException"/>). The TCP ones are
/// the Reno building blocks of net/ipv4/tcp_cong.c, callable from tcp_congestion_ops struct_ops.
/// </summary>
#pragma warning disable IDE1006 // kernel spelling
public static unsafe class Kfuncs
{
    /// <summary>u32 tcp_reno_ssthresh(struct sock *sk): max(cwnd / 2, 2).</summary>
    [Kfunc] public static uint tcp_reno_ssthresh(sock* sk) => throw BpfOnlyException.For(nameof(tcp_reno_ssthresh));

    /// <summary>void tcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked): Reno's whole cong_avoid.</summary>
    [Kfunc] public static void tcp_reno_cong_avoid(sock* sk, uint ack, uint acked) => throw BpfOnlyException.For(nameof(tcp_reno_cong_avoid));

    /// <summary>u32 tcp_reno_undo_cwnd(struct sock *sk): max(cwnd, prior_cwnd).</summary>
    [Kfunc] public static uint tcp_reno_undo_cwnd(sock* sk) => throw BpfOnlyException.For(nameof(tcp_reno_undo_cwnd));

    /// <summary>u32 tcp_slow_start(struct tcp_sock *tp, u32 acked): grows cwnd up to ssthresh, returns the acked packets left over.</summary>
    [Kfunc] public static uint tcp_slow_start(tcp_sock* tp, uint acked) => throw BpfOnlyException.For(nameof(tcp_slow_start));

    /// <summary>void tcp_cong_avoid_ai(struct tcp_sock *tp, u32 w, u32 acked): additive increase, one packet per w acked.</summary>
    [Kfunc] public static void tcp_cong_avoid_ai(tcp_sock* tp, uint w, uint acked) => throw BpfOnlyException.For(nameof(tcp_cong_avoid_ai));

    /// <summary>void bpf_rcu_read_lock(void).</summary>
    [Kfunc] public static void bpf_rcu_read_lock() => throw BpfOnlyException.For(nameof(bpf_rcu_read_lock));

    /// <summary>void bpf_rcu_read_unlock(void).</summary>
    [Kfunc] public static void bpf_rcu_read_unlock() => throw BpfOnlyException.For(nameof(bpf_rcu_read_unlock));
}
