namespace TcpCongestion.Simulation;

/// <summary>
/// The tcp_congestion_ops callbacks the simulator calls, with the kernel's arguments (the socket is
/// implicit: each instance drives one connection), and the tcp_sock fields TCP itself reads and writes.
/// Optional members (init, set_state, cwnd_event, pkts_acked) are skipped when absent, as the kernel does.
/// </summary>
public interface ICongestionControl
{
    string Name { get; }

    /// <summary>The connection's tcp_sock as TCP sees it.</summary>
    ITcpSock Sock { get; }

    bool Has(string member);

    void Init();
    uint Ssthresh();
    void CongAvoid(uint ack, uint acked);
    void SetState(CaState state);
    void CwndEvent(CaEvent ev);

    /// <summary>pkts_acked(sk, &amp;sample) with struct ack_sample { pkts_acked, rtt_us, in_flight }.</summary>
    void PktsAcked(uint pktsAcked, int rttUs, uint inFlight);

    uint UndoCwnd();
}

/// <summary>The struct tcp_sock fields TCP maintains around the congestion control (segments, microseconds).</summary>
public interface ITcpSock
{
    uint SndCwnd { get; set; }
    uint SndSsthresh { get; set; }
    uint SndCwndCnt { get; set; }
    uint SndCwndClamp { get; set; }
    uint PriorCwnd { get; set; }
    uint PriorSsthresh { get; set; }
    uint PacketsOut { get; set; }
    uint MaxPacketsOut { get; set; }
    bool IsCwndLimited { get; set; }
    uint SrttUs { get; set; }
    uint MssCache { get; set; }
}
