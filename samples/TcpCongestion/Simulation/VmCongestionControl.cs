using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm.Kernel;
using CSharpBpf.Vm.Memory;

namespace TcpCongestion.Simulation;

/// <summary>
/// A struct_ops tcp_congestion_ops object running in the managed VM: each callback is the compiled
/// eBPF program, run with the simulated socket's kernel address as its first argument.
/// </summary>
public sealed class VmCongestionControl : ICongestionControl
{
    private readonly BpfTestHost _host;
    private readonly IReadOnlyDictionary<string, VmProgram> _members;
    private readonly MemoryRegion _ackSample;

    public VmCongestionControl(BpfTestHost host, VmObject obj, string structOpsName)
    {
        _host = host;
        if (!obj.StructOps.TryGetValue(structOpsName, out var members))
            throw new ArgumentException($"the object has no struct_ops '{structOpsName}' (it has: {string.Join(", ", obj.StructOps.Keys)})");
        _members = members;
        Name = structOpsName;
        Object = obj;
        Socket = host.CreateSocket();
        Sock = new VmTcpSock(Socket.Tcp);
        // struct ack_sample { u32 pkts_acked; s32 rtt_us; u32 in_flight; }: kernel memory the program may only read.
        _ackSample = host.Machine.Memory.Add($"ack_sample#{Socket.Cookie:x}", RegionKind.KernelObject, 12, writable: false);
    }

    public string Name { get; }
    public VmObject Object { get; }
    public SimulatedSocket Socket { get; }
    public ITcpSock Sock { get; }

    /// <summary>Calls and eBPF instructions executed, per member.</summary>
    public Dictionary<string, (long Calls, long Instructions)> Stats { get; } = new(StringComparer.Ordinal);

    public bool Has(string member) => _members.ContainsKey(member);

    public void Init() => Call("init");
    public uint Ssthresh() => (uint)Call("ssthresh");
    public void CongAvoid(uint ack, uint acked) => Call("cong_avoid", ack, acked);
    public void SetState(CaState state) => Call("set_state", (ulong)state);
    public void CwndEvent(CaEvent ev) => Call("cwnd_event", (ulong)ev);
    public uint UndoCwnd() => (uint)Call("undo_cwnd");

    public void PktsAcked(uint pktsAcked, int rttUs, uint inFlight)
    {
        if (!Has("pkts_acked")) return;
        var s = _ackSample.Span;
        BinaryPrimitives.WriteUInt32LittleEndian(s, pktsAcked);
        BinaryPrimitives.WriteInt32LittleEndian(s.Slice(4), rttUs);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(8), inFlight);
        Call("pkts_acked", _ackSample.Address);
    }

    private ulong Call(string member, params ulong[] rest)
    {
        if (!_members.TryGetValue(member, out var program)) return 0;
        var args = new ulong[rest.Length + 1];
        args[0] = Socket.KernelAddress;
        rest.CopyTo(args, 1);
        var result = _host.RunWithArgs(program, args);
        Stats.TryGetValue(member, out var s);
        Stats[member] = (s.Calls + 1, s.Instructions + result.InstructionsExecuted);
        return result.ReturnValue;
    }

    private sealed class VmTcpSock : ITcpSock
    {
        private readonly KernelObject _tp;
        public VmTcpSock(KernelObject tp) => _tp = tp;

        private uint Get(string f) => _tp.Layout.Has(f) ? (uint)_tp.Get(f) : 0;
        private void Set(string f, uint v) { if (_tp.Layout.Has(f)) _tp[f] = v; }

        public uint SndCwnd { get => Get("snd_cwnd"); set => Set("snd_cwnd", value); }
        public uint SndSsthresh { get => Get("snd_ssthresh"); set => Set("snd_ssthresh", value); }
        public uint SndCwndCnt { get => Get("snd_cwnd_cnt"); set => Set("snd_cwnd_cnt", value); }
        public uint SndCwndClamp { get => Get("snd_cwnd_clamp"); set => Set("snd_cwnd_clamp", value); }
        public uint PriorCwnd { get => Get("prior_cwnd"); set => Set("prior_cwnd", value); }
        public uint PriorSsthresh { get => Get("prior_ssthresh"); set => Set("prior_ssthresh", value); }
        public uint PacketsOut { get => Get("packets_out"); set => Set("packets_out", value); }
        public uint MaxPacketsOut { get => Get("max_packets_out"); set => Set("max_packets_out", value); }
        public bool IsCwndLimited { get => Get("is_cwnd_limited") != 0; set => Set("is_cwnd_limited", value ? 1u : 0u); }
        public uint SrttUs { get => Get("srtt_us"); set => Set("srtt_us", value); }
        public uint MssCache { get => Get("mss_cache"); set => Set("mss_cache", value); }
    }
}
