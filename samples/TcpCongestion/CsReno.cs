using System.Threading;
using CSharpBpf;
using CSharpBpf.Kernel;

namespace TcpCongestion;

/// <summary>
/// A Reno congestion control written in C#, registered as the kernel's tcp_congestion_ops "csreno".
/// Every static method named like a tcp_congestion_ops member becomes the struct_ops program for that
/// member; TCP calls them with the socket (and the member's other arguments) as the kernel does.
/// The one departure from Linux's own Reno: init() starts slow start with a finite ssthresh
/// (<see cref="InitialSsthresh"/>, as an "initial ssthresh" route metric would), so even a loss-free
/// flow shows where slow start stops — in the VM simulation and on a kernel loopback connection alike.
/// </summary>
[StructOps("tcp_congestion_ops", Name = "csreno")]
public static unsafe partial class CsReno
{
    /// <summary>Segments: slow start ends here if no loss ended it earlier.</summary>
    public const uint InitialSsthresh = 64;

    /// <summary>Slots of <see cref="Counters"/>: one per callback (in the order of <see cref="SlotNames"/>),
    /// then set_state calls by enum tcp_ca_state, then cwnd_event calls by enum tcp_ca_event.</summary>
    public const uint Init = 0, Ssthresh = 1, CongAvoid = 2, SetState = 3, CwndEvent = 4, PktsAcked = 5, UndoCwnd = 6,
        StateBase = 7, EventBase = StateBase + 5, Slots = EventBase + 6;

    /// <summary>What each slot of <see cref="Counters"/> counts (for printing; not part of the BPF program).</summary>
    public static readonly string[] SlotNames =
    {
        "init", "ssthresh", "cong_avoid", "set_state", "cwnd_event", "pkts_acked", "undo_cwnd",
        "state Open", "state Disorder", "state CWR", "state Recovery", "state Loss",
        "event TX_START", "event CWND_RESTART", "event COMPLETE_CWR", "event LOSS", "event ECN_NO_CE", "event ECN_IS_CE",
    };

    /// <summary>How often the kernel called each callback, entered each state and sent each event (all connections using csreno).</summary>
    [Map(MaxEntries = (int)Slots)] static ArrayMap<ulong> Counters;

    /// <summary>[0] = the smallest RTT sample (µs) pkts_acked has seen; 0 until the first.</summary>
    [Map(MaxEntries = 1)] static ArrayMap<uint> MinRtt;

    static void Count(uint slot)
    {
        // Lookup returns null for a slot outside the array: the verifier insists on the check.
        // Not atomic: two connections on two CPUs may lose an increment, which a demo counter tolerates.
        ulong* n = Counters.Lookup(slot);
        if (n != null) Interlocked.Increment(ref *n);
    }

    /// <summary>The connection is established: cwnd is 10 segments, ssthresh still infinite.</summary>
    static void init(sock* sk)
    {
        Count(Init);
        ((tcp_sock*)sk)->snd_ssthresh = InitialSsthresh;
    }

    /// <summary>A loss: the new slow-start threshold, half the window (at least 2).</summary>
    static uint ssthresh(sock* sk)
    {
        Count(Ssthresh);
        return Kfuncs.tcp_reno_ssthresh(sk);
    }

    /// <summary>ACKed data while not recovering: exponential growth below ssthresh, one segment per window above.</summary>
    static void cong_avoid(sock* sk, uint ack, uint acked)
    {
        Count(CongAvoid);
        var tp = (tcp_sock*)sk;
        if (tp->snd_cwnd <= tp->snd_ssthresh)
        {
            acked = Kfuncs.tcp_slow_start(tp, acked);
            if (acked == 0) return;
        }
        Kfuncs.tcp_cong_avoid_ai(tp, tp->snd_cwnd, acked);
    }

    static void set_state(sock* sk, byte newState)
    {
        Count(SetState);
        Count(StateBase + newState);
    }

    static void cwnd_event(sock* sk, tcp_ca_event ev)
    {
        Count(CwndEvent);
        Count(EventBase + (uint)ev);
    }

    /// <summary>Every ACK: the kernel's sample (packets acked, RTT in µs or -1, bytes delivered in the sample's interval).</summary>
    static void pkts_acked(sock* sk, ack_sample* sample)
    {
        Count(PktsAcked);
        int rtt = sample->rtt_us;
        if (rtt <= 0) return;
        uint* min = MinRtt.Lookup(0);
        if (min != null && (*min == 0 || (uint)rtt < *min)) *min = (uint)rtt;
    }

    /// <summary>The last reduction was spurious: back to the window before it.</summary>
    static uint undo_cwnd(sock* sk)
    {
        Count(UndoCwnd);
        return Kfuncs.tcp_reno_undo_cwnd(sk);
    }
}
