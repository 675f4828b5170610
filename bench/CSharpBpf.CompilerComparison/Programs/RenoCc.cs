// struct_ops (issue 4): a Reno congestion control calling the kernel's TCP kfuncs, reading tcp_sock
// through CO-RE, and counting its callbacks in an array map. Twin: ../../twins/reno_cc.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

[StructOps("tcp_congestion_ops", Name = "csbench_reno")]
public static unsafe partial class RenoCc
{
    [Map(MaxEntries = 4)] static ArrayMap<ulong> calls;

    static void Count(uint slot)
    {
        ulong* n = calls.Lookup(slot);
        if (n != null) *n += 1;
    }

    static void init(sock* sk) => Count(0);

    static uint ssthresh(sock* sk)
    {
        Count(1);
        return Kfuncs.tcp_reno_ssthresh(sk);
    }

    static void cong_avoid(sock* sk, uint ack, uint acked)
    {
        var tp = (tcp_sock*)sk;
        Count(2);
        if (tp->snd_cwnd <= tp->snd_ssthresh)
        {
            acked = Kfuncs.tcp_slow_start(tp, acked);
            if (acked == 0) return;
        }
        Kfuncs.tcp_cong_avoid_ai(tp, tp->snd_cwnd, acked);
    }

    static uint undo_cwnd(sock* sk)
    {
        Count(3);
        return Kfuncs.tcp_reno_undo_cwnd(sk);
    }
}
