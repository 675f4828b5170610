using System;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Kernel;
using Xunit;

namespace CSharpBpf.Vm.Tests.Kernel;

/// <summary>The Reno kfuncs against hand-worked values from net/ipv4/tcp_cong.c's definitions.</summary>
public sealed class RenoKfuncTests : IDisposable
{
    private readonly BpfMachine _m = new();

    private KernelObject Tp(uint cwnd, uint ssthresh, uint clamp = 0xffffffff, uint cnt = 0)
    {
        var s = new SimulatedSocket(_m);
        s.Tcp["snd_cwnd"] = cwnd;
        s.Tcp["snd_ssthresh"] = ssthresh;
        s.Tcp["snd_cwnd_clamp"] = clamp;
        s.Tcp["snd_cwnd_cnt"] = cnt;
        return s.Tcp;
    }

    [Fact]
    public void Ssthresh_is_half_cwnd_but_at_least_two()
    {
        Assert.Equal(10u, TcpCongestionKfuncs.RenoSsthresh(Tp(20, 0)));
        Assert.Equal(2u, TcpCongestionKfuncs.RenoSsthresh(Tp(3, 0)));
        Assert.Equal(2u, TcpCongestionKfuncs.RenoSsthresh(Tp(0, 0)));
    }

    [Fact]
    public void Slow_start_stops_at_ssthresh_and_returns_the_rest()
    {
        var tp = Tp(10, 12);
        Assert.Equal(3u, TcpCongestionKfuncs.SlowStart(tp, 5));
        Assert.Equal(12u, tp.U32("snd_cwnd"));
        var clamped = Tp(10, 100, clamp: 11);
        Assert.Equal(0u, TcpCongestionKfuncs.SlowStart(clamped, 5));
        Assert.Equal(11u, clamped.U32("snd_cwnd"));
    }

    [Fact]
    public void Additive_increase_grows_one_segment_per_window()
    {
        var tp = Tp(10, 5);
        TcpCongestionKfuncs.CongAvoidAi(tp, 10, 9);
        Assert.Equal(10u, tp.U32("snd_cwnd"));
        Assert.Equal(9u, tp.U32("snd_cwnd_cnt"));
        TcpCongestionKfuncs.CongAvoidAi(tp, 10, 25); // cnt 34 -> +3, cnt 4
        Assert.Equal(13u, tp.U32("snd_cwnd"));
        Assert.Equal(4u, tp.U32("snd_cwnd_cnt"));
        var credit = Tp(10, 5, cnt: 50);
        TcpCongestionKfuncs.CongAvoidAi(credit, 10, 1); // credits at a higher w: cnt reset, +1
        Assert.Equal(11u, credit.U32("snd_cwnd"));
        Assert.Equal(1u, credit.U32("snd_cwnd_cnt"));
    }

    [Fact]
    public void Reno_cong_avoid_needs_cwnd_limited()
    {
        var tp = Tp(10, 20);
        TcpCongestionKfuncs.RenoCongAvoid(tp, 0, 4);
        Assert.Equal(10u, tp.U32("snd_cwnd")); // not cwnd-limited: max_packets_out 0
        tp["max_packets_out"] = 6; // slow start: limited while cwnd < 2 * 6
        TcpCongestionKfuncs.RenoCongAvoid(tp, 0, 4);
        Assert.Equal(14u, tp.U32("snd_cwnd"));
        tp["is_cwnd_limited"] = 1;
        Assert.Equal(1UL, tp.Get("is_cwnd_limited"));
        TcpCongestionKfuncs.RenoCongAvoid(tp, 0, 10); // slow start to 20, 4 left for AI with w = 20
        Assert.Equal(20u, tp.U32("snd_cwnd"));
        Assert.Equal(4u, tp.U32("snd_cwnd_cnt"));
    }

    [Fact]
    public void Undo_cwnd_takes_the_larger_of_cwnd_and_prior_cwnd()
    {
        var tp = Tp(10, 5);
        tp["prior_cwnd"] = 17;
        Assert.Equal(17u, TcpCongestionKfuncs.RenoUndoCwnd(tp));
    }

    [Fact]
    public void Is_cwnd_limited_is_one_bit_of_its_byte()
    {
        var tp = Tp(1, 1);
        var field = tp.Layout["is_cwnd_limited"];
        tp.Region.Span[field.Offset] = 0xf7; // every other bit set
        Assert.Equal(0UL, tp.Get("is_cwnd_limited"));
        tp["is_cwnd_limited"] = 1;
        Assert.Equal(0xffu, tp.Region.Span[field.Offset]);
    }

    public void Dispose() => _m.Dispose();
}
