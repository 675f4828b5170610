using System.Collections.Generic;
using TcpCongestion.Simulation;

namespace CSharpBpf.Samples.Tests.TcpCongestion;

/// <summary>Passes every callback through to another congestion control and logs it with its arguments.</summary>
internal sealed class RecordingCongestionControl : ICongestionControl
{
    private readonly ICongestionControl _inner;

    public RecordingCongestionControl(ICongestionControl inner) => _inner = inner;

    public List<string> Log { get; } = new();
    public string Name => _inner.Name;
    public ITcpSock Sock => _inner.Sock;
    public bool Has(string member) => _inner.Has(member);

    public void Init() { Log.Add("init"); _inner.Init(); }
    public uint Ssthresh() { var v = _inner.Ssthresh(); Log.Add($"ssthresh={v}"); return v; }
    public void CongAvoid(uint ack, uint acked) { Log.Add($"cong_avoid({acked})"); _inner.CongAvoid(ack, acked); }
    public void SetState(CaState state) { Log.Add($"set_state({state})"); _inner.SetState(state); }
    public void CwndEvent(CaEvent ev) { Log.Add($"cwnd_event({ev})"); _inner.CwndEvent(ev); }
    public void PktsAcked(uint pktsAcked, int rttUs, uint inFlight) { Log.Add("pkts_acked"); _inner.PktsAcked(pktsAcked, rttUs, inFlight); }
    public uint UndoCwnd() { var v = _inner.UndoCwnd(); Log.Add($"undo_cwnd={v}"); return v; }
}
