using System;
using System.Buffers.Binary;
using CSharpBpf.Vm.Kernel;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// A sock_ops program's input: struct bpf_sock_ops for operation <see cref="Op"/> on a socket.
/// The TCP fields are filled from the socket's tcp_sock when the context attaches (zero when the
/// socket is not full, as the kernel's rewrite yields); sk is a pointer to the socket's bpf_sock;
/// reply/replylong and sk_txhash are writable. After the run, <see cref="Reply"/> holds the reply.
/// </summary>
public sealed class SockOpsContext : ProgramContext, ISocketContext
{
    // enum bpf_sock_ops op values (uapi)
    public const uint TimeoutInit = 1, RwndInit = 2, TcpConnectCb = 3, ActiveEstablishedCb = 4, PassiveEstablishedCb = 5,
        NeedsEcn = 6, BaseRtt = 7, RtoCb = 8, RetransCb = 9, StateCb = 10, TcpListenCb = 11, RttCb = 12;

    public const int OffOp = 0, OffArgs = 4, OffReply = 4, OffFamily = 20, OffRemoteIp4 = 24, OffLocalIp4 = 28, OffRemoteIp6 = 32,
        OffLocalIp6 = 48, OffRemotePort = 64, OffLocalPort = 68, OffIsFullsock = 72, OffSndCwnd = 76, OffSrttUs = 80,
        OffCbFlags = 84, OffState = 88, OffRttMin = 92, OffSndSsthresh = 96, OffMssCache = 112, OffPacketsOut = 128,
        OffSkTxhash = 164, OffBytesReceived = 168, OffBytesAcked = 176, OffSk = 184, OffSkbData = 192, OffSkbDataEnd = 200,
        OffSkbLen = 208, Size = 216;

    private readonly ContextMemory _ops = new(Size);
    private MemoryRegion? _ctx;

    public SockOpsContext(SimulatedSocket socket, uint op, params uint[] args)
    {
        Socket = socket ?? throw new ArgumentNullException(nameof(socket));
        if (args.Length > 4) throw new ArgumentException("bpf_sock_ops carries at most 4 args", nameof(args));
        Op = op;
        _ops.SetU32(OffOp, op);
        for (int i = 0; i < args.Length; i++) _ops.SetU32(OffArgs + 4 * i, args[i]);
        _ops.Pointer(OffSk, 8, () => Socket.BpfSockAddress)
            .Pointer(OffSkbData, 8, () => 0)
            .Pointer(OffSkbDataEnd, 8, () => 0)
            .Writable(OffReply, 16)
            .Writable(OffSkTxhash, 4);
    }

    public SimulatedSocket Socket { get; }
    SimulatedSocket? ISocketContext.Socket => Socket;
    public uint Op { get; }

    /// <summary>ctx->reply after the run (e.g. the value returned for BPF_SOCK_OPS_TIMEOUT_INIT).</summary>
    public uint Reply => _ops.U32(OffReply);

    public uint ReplyLong(int i) => _ops.U32(OffReply + 4 * i);

    internal void CbFlagsChanged(uint flags) => _ops.SetU32(OffCbFlags, flags);

    internal override ContextMemory? FastContext => _ops;

    public override ulong Attach(BpfMachine machine)
    {
        var s = Socket;
        var tp = s.Tcp;
        _ops.SetU32(OffFamily, s.Family);
        if (s.Family == 2)
        {
            _ops.SetU32(OffRemoteIp4, BinaryPrimitives.ReadUInt32LittleEndian(s.Remote.Address.MapToIPv4().GetAddressBytes()));
            _ops.SetU32(OffLocalIp4, BinaryPrimitives.ReadUInt32LittleEndian(s.Local.Address.MapToIPv4().GetAddressBytes()));
        }
        else
        {
            s.Remote.Address.MapToIPv6().GetAddressBytes().CopyTo(_ops.Bytes, OffRemoteIp6);
            s.Local.Address.MapToIPv6().GetAddressBytes().CopyTo(_ops.Bytes, OffLocalIp6);
        }
        _ops.SetU32(OffRemotePort, (uint)BinaryPrimitives.ReverseEndianness((ushort)s.Remote.Port)); // network order
        _ops.SetU32(OffLocalPort, (uint)s.Local.Port);                                               // host order
        _ops.SetU32(OffIsFullsock, s.IsFullSocket ? 1u : 0u);
        if (s.IsFullSocket)
        {
            _ops.SetU32(OffSndCwnd, tp.U32("snd_cwnd"));
            _ops.SetU32(OffSrttUs, tp.U32("srtt_us"));
            _ops.SetU32(OffSndSsthresh, tp.U32("snd_ssthresh"));
            _ops.SetU32(OffMssCache, tp.U32("mss_cache"));
            _ops.SetU32(OffPacketsOut, tp.U32("packets_out"));
        }
        _ops.SetU32(OffCbFlags, s.SockOpsCbFlags);
        _ops.SetU32(OffState, s.State);
        _ctx = machine.Memory.AddVirtual("bpf_sock_ops", RegionKind.Context, Size, _ops);
        _ops.Bind(_ctx);
        return _ctx.Address;
    }

    public override void Detach(BpfMachine machine)
    {
        if (_ctx is not null) machine.Memory.Remove(_ctx);
        _ctx = null;
    }
}
