using System;
using CSharpBpf.Vm.Helpers;

namespace CSharpBpf.Vm.Kernel;

/// <summary>
/// The TCP congestion kfuncs of net/ipv4/tcp_cong.c (Reno), on a <see cref="SimulatedSocket"/>'s
/// tcp_sock, with the kernel's u32 arithmetic. Their BTF ids are the VM's own
/// (<see cref="SsthreshId"/>…); loaders resolve kfunc names through <see cref="KfuncTable.IdOf"/>.
/// </summary>
public static class TcpCongestionKfuncs
{
    public const int SsthreshId = 70001, SlowStartId = 70002, CongAvoidAiId = 70003, UndoCwndId = 70004, CongAvoidId = 70005;

    public static void RegisterAll(KfuncTable table)
    {
        table.Register(SsthreshId, "tcp_reno_ssthresh", (m, a) => RenoSsthresh(Tcp(m, a.R1, a.Pc)));
        table.Register(SlowStartId, "tcp_slow_start", (m, a) => SlowStart(Tcp(m, a.R1, a.Pc), (uint)a.R2));
        table.Register(CongAvoidAiId, "tcp_cong_avoid_ai", (m, a) =>
        {
            CongAvoidAi(Tcp(m, a.R1, a.Pc), (uint)a.R2, (uint)a.R3);
            return 0;
        });
        table.Register(UndoCwndId, "tcp_reno_undo_cwnd", (m, a) => RenoUndoCwnd(Tcp(m, a.R1, a.Pc)));
        table.Register(CongAvoidId, "tcp_reno_cong_avoid", (m, a) =>
        {
            RenoCongAvoid(Tcp(m, a.R1, a.Pc), (uint)a.R2, (uint)a.R3);
            return 0;
        });
    }

    private static readonly string[] RenoFields = { "snd_cwnd", "snd_ssthresh", "snd_cwnd_cnt", "snd_cwnd_clamp", "prior_cwnd", "is_cwnd_limited", "max_packets_out" };

    private static KernelObject Tcp(BpfMachine m, ulong sk, int pc)
    {
        var tp = SimulatedSocket.FromAddress(m, sk)?.Tcp
            ?? throw new BpfVmException(VmErrorKind.BadHelperArgument, pc, $"r1 = 0x{sk:x} is not a simulated socket");
        foreach (var f in RenoFields)
            if (!tp.Layout.Has(f))
                throw new BpfVmException(VmErrorKind.BadHelperArgument, pc, $"the socket's tcp_sock layout has no '{f}', which Reno needs");
        return tp;
    }

    private static uint Cwnd(KernelObject tp) => tp.U32("snd_cwnd");

    private static void SetCwnd(KernelObject tp, uint v) => tp["snd_cwnd"] = v;

    /// <summary>tcp_reno_ssthresh: max(cwnd &gt;&gt; 1, 2).</summary>
    public static uint RenoSsthresh(KernelObject tp) => Math.Max(Cwnd(tp) >> 1, 2u);

    /// <summary>tcp_reno_undo_cwnd: max(cwnd, prior_cwnd).</summary>
    public static uint RenoUndoCwnd(KernelObject tp) => Math.Max(Cwnd(tp), tp.U32("prior_cwnd"));

    /// <summary>tcp_slow_start: grow cwnd by acked up to ssthresh (and the clamp); return the acks left over.</summary>
    public static uint SlowStart(KernelObject tp, uint acked)
    {
        uint cwnd = Math.Min(unchecked(Cwnd(tp) + acked), tp.U32("snd_ssthresh"));
        acked = unchecked(acked - (cwnd - Cwnd(tp)));
        SetCwnd(tp, Math.Min(cwnd, tp.U32("snd_cwnd_clamp")));
        return acked;
    }

    /// <summary>tcp_cong_avoid_ai: additive increase, one segment per w acked (credits in snd_cwnd_cnt).</summary>
    public static void CongAvoidAi(KernelObject tp, uint w, uint acked)
    {
        // If credits accumulated at a higher w, apply them gently now.
        if (tp.U32("snd_cwnd_cnt") >= w)
        {
            tp["snd_cwnd_cnt"] = 0;
            SetCwnd(tp, unchecked(Cwnd(tp) + 1));
        }
        tp["snd_cwnd_cnt"] = unchecked(tp.U32("snd_cwnd_cnt") + acked);
        uint cnt = tp.U32("snd_cwnd_cnt");
        if (cnt >= w)
        {
            uint delta = w == 0 ? 0 : cnt / w; // the kernel never passes w = 0 (cwnd >= 1); avoid a host fault if a program does
            tp["snd_cwnd_cnt"] = unchecked(cnt - delta * w);
            SetCwnd(tp, unchecked(Cwnd(tp) + delta));
        }
        SetCwnd(tp, Math.Min(Cwnd(tp), tp.U32("snd_cwnd_clamp")));
    }

    /// <summary>tcp_in_slow_start: cwnd &lt; ssthresh.</summary>
    public static bool InSlowStart(KernelObject tp) => Cwnd(tp) < tp.U32("snd_ssthresh");

    /// <summary>tcp_is_cwnd_limited: the flag, or in slow start cwnd &lt; 2 * max_packets_out.</summary>
    public static bool IsCwndLimited(KernelObject tp)
    {
        if (tp.Get("is_cwnd_limited") != 0) return true;
        if (InSlowStart(tp)) return Cwnd(tp) < 2UL * tp.U32("max_packets_out");
        return false;
    }

    /// <summary>tcp_reno_cong_avoid: slow start below ssthresh, then additive increase with w = cwnd.</summary>
    public static void RenoCongAvoid(KernelObject tp, uint ack, uint acked)
    {
        if (!IsCwndLimited(tp)) return;
        if (InSlowStart(tp))
        {
            acked = SlowStart(tp, acked);
            if (acked == 0) return;
        }
        CongAvoidAi(tp, Cwnd(tp), acked);
    }
}
