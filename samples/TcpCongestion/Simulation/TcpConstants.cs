namespace TcpCongestion.Simulation;

/// <summary>enum tcp_ca_state (include/uapi/linux/tcp.h): the congestion-avoidance state set_state receives.</summary>
public enum CaState : uint
{
    Open = 0,
    Disorder = 1,
    Cwr = 2,
    Recovery = 3,
    Loss = 4,
}

/// <summary>enum tcp_ca_event (include/net/tcp.h): what cwnd_event receives.</summary>
public enum CaEvent : uint
{
    TxStart = 0,
    CwndRestart = 1,
    CompleteCwr = 2,
    Loss = 3,
    EcnNoCe = 4,
    EcnIsCe = 5,
}

public static class TcpConstants
{
    /// <summary>TCP_INFINITE_SSTHRESH: ssthresh before the first loss.</summary>
    public const uint InfiniteSsthresh = 0x7fffffff;

    /// <summary>TCP_INIT_CWND (RFC 6928): the kernel starts every connection with 10 segments.</summary>
    public const uint InitialCwnd = 10;

    /// <summary>Duplicate-ACK threshold (tcp_reordering default 3): SACKed segments above a hole that mark it lost.</summary>
    public const int DupThresh = 3;

    /// <summary>TCP_RTO_MIN: 200 ms.</summary>
    public const long MinRtoUs = 200_000;
}
