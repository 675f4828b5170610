using System;
using System.Collections.Generic;

namespace TcpCongestion.Simulation;

/// <summary>
/// One bulk TCP sender over a bottleneck link, driving a congestion control the way Linux's TCP does
/// (net/ipv4/tcp_input.c, tcp_output.c, tcp_timer.c, tcp_cong.c):
/// <list type="bullet">
/// <item>connection start: snd_cwnd = 10, ssthresh infinite, then init(sk);</item>
/// <item>every ACK: pkts_acked(sk, sample) (tcp_clean_rtx_queue); loss detection may enter Recovery
///   (prior_cwnd saved, ssthresh(sk), then set_state(Recovery)); then cong_avoid(sk, ack, acked) when
///   not in CWR/Recovery and new data was acked, or proportional rate reduction (PRR) while in Recovery;</item>
/// <item>recovery end (snd_una reaches high_seq): set_state(Open), cwnd = ssthresh, cwnd_event(COMPLETE_CWR);</item>
/// <item>retransmission timeout: ssthresh(sk), cwnd_event(LOSS), cwnd = 1, set_state(Loss);</item>
/// <item>a DSACK proving every retransmission spurious: cwnd = undo_cwnd(sk), ssthresh restored;</item>
/// <item>cwnd_event(TX_START) when data is sent with nothing in flight (tcp_event_data_sent).</item>
/// </list>
/// Loss is detected with the duplicate-threshold rule (a hole with 3 SACKed segments above it is lost);
/// the kernel's default RACK reaches the same verdict on a FIFO path. The receiver ACKs every segment
/// (quick-ack) with SACK and DSACK. Time is simulated: results depend only on the parameters and seed.
/// </summary>
public sealed class FlowSimulator
{
    private readonly LinkParameters _link;
    private readonly ICongestionControl _cc;
    private readonly ITcpSock _tp;
    private readonly Random _random;
    private readonly PriorityQueue<SimEvent, (long, long)> _events = new();
    private long _eventOrder;
    private readonly FlowTrace _trace = new();

    // sender
    private readonly List<Segment> _segs = new();
    private int _sndUna, _sndNxt;
    private long _delivered;
    private int _sackedOut, _lostOut, _retransOut;
    private CaState _state = CaState.Open;
    private int _highSeq;
    private bool _undoMarker;
    private int _undoRetrans = -1;
    private uint _prrDelivered, _prrOut;
    private long _srttUs, _rttVarUs, _rtoUs = 1_000_000, _rtoDeadline = long.MaxValue;
    private int _consecutiveTimeouts;
    private bool _slowStartEnded;
    private const uint AckSeqBase = 1_000_000; // initial sequence number: ack arguments are byte sequence numbers

    // bottleneck and receiver
    private long _linkFreeAt;
    private readonly Queue<long> _departures = new();
    private int _rcvNxt;
    private readonly HashSet<int> _outOfOrder = new();
    private long _now;

    public FlowSimulator(LinkParameters link, ICongestionControl cc)
    {
        link.Validate();
        _link = link;
        _cc = cc;
        _tp = cc.Sock;
        _random = new Random(link.Seed);
    }

    public FlowTrace Run()
    {
        long end = (long)(_link.DurationSeconds * 1_000_000);
        Establish();
        Transmit();
        while (true)
        {
            long nextPacket = _events.TryPeek(out _, out var key) ? key.Item1 : long.MaxValue;
            if (_rtoDeadline <= nextPacket)
            {
                // The retransmission timer fires before the next packet event.
                if (_rtoDeadline > end) break;
                _now = _rtoDeadline;
                OnRetransmissionTimeout();
                Transmit();
                continue;
            }
            if (nextPacket > end) break;
            var ev = _events.Dequeue();
            _now = nextPacket;
            switch (ev)
            {
                case SegmentArrives a: OnSegmentAtReceiver(a.Seq); break;
                case AckArrives a: OnAck(a); Transmit(); break;
            }
        }
        _trace.DurationUs = end;
        _trace.SegmentsDelivered = _rcvNxt;
        return _trace;
    }

    // ---- connection start (tcp_init_transfer → tcp_init_congestion_control)

    private void Establish()
    {
        _tp.MssCache = (uint)_link.Mss;
        _tp.SndCwnd = TcpConstants.InitialCwnd;
        _tp.SndSsthresh = TcpConstants.InfiniteSsthresh;
        _tp.SndCwndCnt = 0;
        _tp.SndCwndClamp = uint.MaxValue >> 1;
        _tp.PriorSsthresh = 0;
        // The handshake measured one RTT (tcp_synack_rtt_meas / tcp_ack_update_rtt on the SYN-ACK).
        UpdateRtt(_link.OneWayDelayUs * 2);
        Call("init", _cc.Init);
        Record();
    }

    // ---- sending (tcp_write_xmit, tcp_xmit_retransmit_queue)

    private uint InFlight => (uint)(_sndNxt - _sndUna - _sackedOut - _lostOut + _retransOut);

    private void Transmit()
    {
        while (InFlight < _tp.SndCwnd)
        {
            int seq = NextLostToRetransmit();
            bool retransmit = seq >= 0;
            if (!retransmit) seq = _sndNxt;
            if (InFlight == 0) Call("cwnd_event", () => _cc.CwndEvent(CaEvent.TxStart));
            if (retransmit)
            {
                var s = _segs[seq];
                s.RetransInFlight = true;
                s.EverRetransmitted = true;
                _retransOut++;
                _trace.Retransmissions++;
                if (_undoRetrans < 0) _undoRetrans = 0;
                _undoRetrans++;
            }
            else
            {
                _segs.Add(new Segment());
                _sndNxt++;
            }
            var seg = _segs[seq];
            seg.SentAtUs = _now;
            seg.DeliveredAtSend = _delivered;
            if (_state == CaState.Recovery) _prrOut++;
            _trace.SegmentsSent++;
            SendThroughBottleneck(seq);
            if (_rtoDeadline == long.MaxValue) _rtoDeadline = _now + _rtoUs;
        }
        // tcp_cwnd_validate: a bulk sender that filled cwnd is cwnd-limited.
        _tp.PacketsOut = (uint)(_sndNxt - _sndUna);
        _tp.IsCwndLimited = InFlight >= _tp.SndCwnd;
        _tp.MaxPacketsOut = Math.Max(_tp.MaxPacketsOut, _tp.PacketsOut);
    }

    private int _retransmitScan;

    private int NextLostToRetransmit()
    {
        if (_lostOut == 0) return -1;
        for (int s = Math.Max(_retransmitScan, _sndUna); s < _sndNxt; s++)
        {
            var seg = _segs[s];
            if (seg.Lost && !seg.RetransInFlight && !seg.Sacked) { _retransmitScan = s; return s; }
        }
        return -1;
    }

    private void SendThroughBottleneck(int seq)
    {
        while (_departures.Count > 0 && _departures.Peek() <= _now) _departures.Dequeue();
        // Drop-tail: the queue holds QueuePackets waiting segments behind the one on the wire.
        if (_departures.Count > _link.QueuePackets) { _trace.QueueDrops++; return; }
        long departure = Math.Max(_now, _linkFreeAt) + _link.SerializationUs;
        _linkFreeAt = departure;
        _departures.Enqueue(departure);
        if (_link.LossRate > 0 && _random.NextDouble() < _link.LossRate) { _trace.RandomLosses++; return; }
        long arrival = departure + _link.OneWayDelayUs;
        if (_link.ReorderRate > 0 && _random.NextDouble() < _link.ReorderRate)
        {
            // Held back long enough for several later segments to overtake it: dupacks, a spurious retransmit.
            arrival += 6 * _link.SerializationUs + _link.OneWayDelayUs / 4;
            _trace.Reordered++;
        }
        Schedule(arrival, new SegmentArrives(seq));
    }

    // ---- receiver (one ACK per segment, SACK and DSACK)

    private void OnSegmentAtReceiver(int seq)
    {
        int sack = -1, dsack = -1;
        if (seq < _rcvNxt || _outOfOrder.Contains(seq)) dsack = seq;
        else if (seq == _rcvNxt)
        {
            _rcvNxt++;
            while (_outOfOrder.Remove(_rcvNxt)) _rcvNxt++;
        }
        else
        {
            _outOfOrder.Add(seq);
            sack = seq;
        }
        Schedule(_now + _link.OneWayDelayUs, new AckArrives(_rcvNxt, sack, dsack));
    }

    // ---- ACK processing (tcp_ack)

    private void OnAck(AckArrives ack)
    {
        if (ack.CumAck < _sndUna) return; // an old ACK: tcp_ack ignores it
        uint priorCwnd = _tp.SndCwnd;
        long priorDelivered = _delivered;
        long rateSampleStart = -1;
        long rttUs = -1;
        uint pktsAcked = 0;
        bool dataAcked = ack.CumAck > _sndUna;
        bool newlyLost = false;

        // tcp_sacktag_write_queue: SACK and DSACK information first.
        if (ack.Sack >= _sndUna && ack.Sack < _sndNxt && !_segs[ack.Sack].Sacked)
        {
            var s = _segs[ack.Sack];
            Deliver(s, ref rateSampleStart, ref rttUs);
            s.Sacked = true;
            _sackedOut++;
        }
        if (ack.Dsack >= 0 && _undoMarker && _segs[ack.Dsack].EverRetransmitted && _undoRetrans > 0) _undoRetrans--;

        // tcp_clean_rtx_queue: cumulatively acked segments leave the retransmission queue.
        for (int seq = _sndUna; seq < ack.CumAck; seq++)
        {
            var s = _segs[seq];
            if (s.Sacked) _sackedOut--;
            else Deliver(s, ref rateSampleStart, ref rttUs);
            if (s.Lost) _lostOut--;
            if (s.RetransInFlight) _retransOut--;
            pktsAcked++;
        }
        if (dataAcked)
        {
            _sndUna = ack.CumAck;
            _consecutiveTimeouts = 0;
            _rtoDeadline = _sndUna == _sndNxt ? long.MaxValue : _now + _rtoUs; // tcp_rearm_rto
        }
        if (rttUs >= 0) UpdateRtt(rttUs);
        uint inFlightSample = rateSampleStart < 0 ? 0 : (uint)((_delivered - rateSampleStart) * _link.Mss);
        Call("pkts_acked", () => _cc.PktsAcked(pktsAcked, rttUs >= 0 ? (int)rttUs : -1, inFlightSample));
        newlyLost = MarkLost();

        // tcp_fastretrans_alert
        ProcessCaState(ack, dataAcked, newlyLost);

        // tcp_cong_control
        uint deliveredNow = (uint)(_delivered - priorDelivered);
        if (_state == CaState.Recovery || _state == CaState.Cwr)
            CwndReduction(deliveredNow, newlyLost, dataAcked);
        else if (dataAcked)
        {
            uint ackSeq = unchecked(AckSeqBase + (uint)_sndUna * (uint)_link.Mss);
            Call("cong_avoid", () => _cc.CongAvoid(ackSeq, deliveredNow));
            if (!_slowStartEnded && _tp.SndSsthresh < TcpConstants.InfiniteSsthresh && _tp.SndCwnd >= _tp.SndSsthresh)
            {
                _slowStartEnded = true;
                AddEvent($"slow start ends: cwnd reached ssthresh {_tp.SndSsthresh}, additive increase from here", priorCwnd);
            }
        }
        if (_tp.SndCwnd != priorCwnd) Record();
    }

    private void Deliver(Segment s, ref long rateSampleStart, ref long rttUs)
    {
        _delivered++;
        rateSampleStart = Math.Max(rateSampleStart, s.DeliveredAtSend);
        // Karn: no RTT sample from a retransmitted segment.
        if (!s.EverRetransmitted) rttUs = _now - s.SentAtUs;
    }

    /// <summary>Duplicate-threshold loss marking: an unSACKed hole with DupThresh SACKed segments above it is lost.</summary>
    private bool MarkLost()
    {
        if (_sackedOut < TcpConstants.DupThresh) return false;
        bool any = false;
        int sackedAbove = 0;
        for (int seq = _sndNxt - 1; seq >= _sndUna; seq--)
        {
            var s = _segs[seq];
            if (s.Sacked) { sackedAbove++; continue; }
            if (sackedAbove >= TcpConstants.DupThresh && !s.Lost && !s.RetransInFlight)
            {
                s.Lost = true;
                _lostOut++;
                any = true;
                _retransmitScan = Math.Min(_retransmitScan, seq);
            }
        }
        return any;
    }

    private void ProcessCaState(AckArrives ack, bool dataAcked, bool newlyLost)
    {
        // D. state exit: high_seq acknowledged
        if (_state is CaState.Recovery or CaState.Loss && _sndUna >= _highSeq)
        {
            var was = _state;
            bool undone = TryUndo($"{was} ended: every retransmission was spurious");
            SetState(CaState.Open);
            if (!undone && was == CaState.Recovery) EndCwndReduction();
        }
        else if (_state is CaState.Open or CaState.Disorder && _undoMarker && _undoRetrans == 0)
            TryUndo("DSACKs: every retransmission was spurious");

        if (_state is CaState.Open or CaState.Disorder)
        {
            if (_lostOut > 0) EnterRecovery();
            else
            {
                // tcp_try_keep_open: Disorder while SACKed or retransmitted segments are outstanding.
                var keep = _sackedOut > 0 || _retransOut > 0 ? CaState.Disorder : CaState.Open;
                if (keep != _state) { SetState(keep); _highSeq = _sndNxt; }
            }
        }
    }

    private uint CurrentSsthresh() =>
        _state is CaState.Cwr or CaState.Recovery ? _tp.SndSsthresh
            : Math.Max(_tp.SndSsthresh, (_tp.SndCwnd >> 1) + (_tp.SndCwnd >> 2));

    /// <summary>tcp_enter_recovery + tcp_init_cwnd_reduction.</summary>
    private void EnterRecovery()
    {
        uint before = _tp.SndCwnd;
        _tp.PriorSsthresh = CurrentSsthresh();
        _undoMarker = true;
        _undoRetrans = _retransOut > 0 ? _retransOut : -1;
        _highSeq = _sndNxt;
        _tp.SndCwndCnt = 0;
        _tp.PriorCwnd = _tp.SndCwnd;
        _prrDelivered = 0;
        _prrOut = 0;
        _tp.SndSsthresh = CallValue("ssthresh", _cc.Ssthresh);
        _slowStartEnded = true;
        SetState(CaState.Recovery);
        _trace.Recoveries++;
        AddEvent($"loss detected (3 SACKs above a hole): Recovery, ssthresh({before}) = {_tp.SndSsthresh}", before);
    }

    /// <summary>tcp_end_cwnd_reduction: cwnd drops to ssthresh when recovery completes.</summary>
    private void EndCwndReduction()
    {
        uint before = _tp.SndCwnd;
        if (_undoMarker && _tp.SndSsthresh < TcpConstants.InfiniteSsthresh) _tp.SndCwnd = _tp.SndSsthresh;
        Call("cwnd_event", () => _cc.CwndEvent(CaEvent.CompleteCwr));
        AddEvent("recovery complete: cwnd = ssthresh", before);
    }

    /// <summary>tcp_cwnd_reduction: proportional rate reduction (RFC 6937) while in Recovery.</summary>
    private void CwndReduction(uint newlyAckedSacked, bool newlyLost, bool sndUnaAdvanced)
    {
        if (newlyAckedSacked == 0 || _tp.PriorCwnd == 0) return;
        _prrDelivered += newlyAckedSacked;
        int delta = (int)_tp.SndSsthresh - (int)InFlight;
        int sndcnt;
        if (delta < 0)
            sndcnt = (int)(((ulong)_tp.SndSsthresh * _prrDelivered + _tp.PriorCwnd - 1) / _tp.PriorCwnd) - (int)_prrOut;
        else
        {
            sndcnt = Math.Max((int)_prrDelivered - (int)_prrOut, (int)newlyAckedSacked);
            if (sndUnaAdvanced && !newlyLost) sndcnt++;
            sndcnt = Math.Min(delta, sndcnt);
        }
        sndcnt = Math.Max(sndcnt, _prrOut == 0 ? 1 : 0); // force the fast retransmit on entering recovery
        _tp.SndCwnd = (uint)Math.Max(1, (int)InFlight + sndcnt);
    }

    /// <summary>tcp_try_undo_recovery / tcp_try_undo_dsack → tcp_undo_cwnd_reduction.</summary>
    private bool TryUndo(string why)
    {
        if (!_undoMarker || _undoRetrans != 0) return false;
        uint before = _tp.SndCwnd;
        if (_tp.PriorSsthresh != 0)
        {
            _tp.SndCwnd = CallValue("undo_cwnd", _cc.UndoCwnd);
            if (_tp.PriorSsthresh > _tp.SndSsthresh) _tp.SndSsthresh = _tp.PriorSsthresh;
        }
        _undoMarker = false;
        _trace.Undos++;
        AddEvent($"undo ({why}): cwnd = undo_cwnd()", before);
        Record();
        return true;
    }

    /// <summary>tcp_retransmit_timer → tcp_enter_loss.</summary>
    private void OnRetransmissionTimeout()
    {
        uint before = _tp.SndCwnd;
        _trace.Timeouts++;
        bool newEpisode = _state <= CaState.Disorder || _highSeq <= _sndUna || (_state == CaState.Loss && _consecutiveTimeouts == 0);
        if (newEpisode)
        {
            _tp.PriorSsthresh = CurrentSsthresh();
            _tp.PriorCwnd = _tp.SndCwnd;
            _tp.SndSsthresh = CallValue("ssthresh", _cc.Ssthresh);
            Call("cwnd_event", () => _cc.CwndEvent(CaEvent.Loss));
            _undoMarker = true;
            _undoRetrans = _retransOut > 0 ? _retransOut : -1;
        }
        // tcp_timeout_mark_lost: everything not SACKed is lost, and no retransmission is in flight any more.
        for (int seq = _sndUna; seq < _sndNxt; seq++)
        {
            var s = _segs[seq];
            if (s.RetransInFlight) { s.RetransInFlight = false; _retransOut--; }
            if (!s.Sacked && !s.Lost) { s.Lost = true; _lostOut++; }
        }
        _retransmitScan = _sndUna;
        _tp.SndCwnd = InFlight + 1;
        _tp.SndCwndCnt = 0;
        SetState(CaState.Loss);
        _highSeq = _sndNxt;
        _consecutiveTimeouts++;
        _rtoUs = Math.Min(_rtoUs * 2, 120_000_000); // exponential backoff (TCP_RTO_MAX)
        _rtoDeadline = _now + _rtoUs;
        AddEvent($"retransmission timeout: Loss, ssthresh = {_tp.SndSsthresh}, cwnd = 1", before);
        Record();
    }

    // ---- RTT estimation (tcp_rtt_estimator, RFC 6298)

    private void UpdateRtt(long sampleUs)
    {
        if (_srttUs == 0) { _srttUs = sampleUs; _rttVarUs = sampleUs / 2; }
        else
        {
            _rttVarUs = (3 * _rttVarUs + Math.Abs(_srttUs - sampleUs)) / 4;
            _srttUs = (7 * _srttUs + sampleUs) / 8;
        }
        _rtoUs = Math.Max(TcpConstants.MinRtoUs, _srttUs + 4 * _rttVarUs);
        _tp.SrttUs = (uint)Math.Min(uint.MaxValue, _srttUs << 3); // the kernel keeps srtt_us scaled by 8
    }

    // ---- callbacks and bookkeeping

    private void SetState(CaState state)
    {
        Call("set_state", () => _cc.SetState(state));
        _state = state;
        Record();
    }

    private void Call(string member, Action call)
    {
        if (!_cc.Has(member)) return;
        _trace.Calls[member] = _trace.Calls.GetValueOrDefault(member) + 1;
        call();
    }

    private uint CallValue(string member, Func<uint> call)
    {
        if (!_cc.Has(member)) throw new InvalidOperationException($"{_cc.Name} has no {member}: the kernel refuses to register a tcp_congestion_ops without it");
        _trace.Calls[member] = _trace.Calls.GetValueOrDefault(member) + 1;
        return call();
    }

    private void Record()
    {
        uint cwnd = _tp.SndCwnd;
        _trace.MaxCwnd = Math.Max(_trace.MaxCwnd, cwnd);
        var p = new TracePoint(_now, cwnd, _tp.SndSsthresh, _state, InFlight);
        if (_trace.Points.Count > 0)
        {
            var last = _trace.Points[^1];
            if (last.Cwnd == p.Cwnd && last.Ssthresh == p.Ssthresh && last.State == p.State) return;
        }
        _trace.Points.Add(p);
    }

    private void AddEvent(string what, uint cwndBefore) =>
        _trace.Events.Add(new FlowEvent(_now, what, cwndBefore, _tp.SndCwnd, _tp.SndSsthresh));

    private void Schedule(long at, SimEvent ev) => _events.Enqueue(ev, (at, _eventOrder++));

    private sealed class Segment
    {
        public long SentAtUs;
        public long DeliveredAtSend;
        public bool Sacked, Lost, RetransInFlight, EverRetransmitted;
    }

    private abstract record SimEvent;
    private sealed record SegmentArrives(int Seq) : SimEvent;
    private sealed record AckArrives(int CumAck, int Sack, int Dsack) : SimEvent;
}
