using System;
using CSharpBpf.Vm.Kernel;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// A socket-buffer program's input (cgroup_skb, socket filter, sched_cls): struct __sk_buff with
/// data/data_end/data_meta loading as packet pointers, sk as a pointer to the owning socket's
/// struct bpf_sock (or 0), and the fields the program type may write (mark, priority, cb[],
/// tc_index, tc_classid, tstamp). LD_ABS/LD_IND read the same packet. For cgroup_skb the packet
/// starts at the network header, as in the kernel.
/// </summary>
public sealed class SkbContext : ProgramContext, ISocketContext
{
    public const int OffLen = 0, OffPktType = 4, OffMark = 8, OffProtocol = 16, OffPriority = 32, OffIngressIfindex = 36,
        OffIfindex = 40, OffTcIndex = 44, OffCb = 48, OffHash = 68, OffTcClassid = 72, OffData = 76, OffDataEnd = 80,
        OffFamily = 88, OffDataMeta = 140, OffFlowKeys = 144, OffTstamp = 152, OffWireLen = 160, OffSk = 168, Size = 192;

    private readonly ContextMemory _skb = new(Size);
    private MemoryRegion? _packet, _ctx;

    public SkbContext(byte[] packet, SimulatedSocket? socket = null, ushort protocol = 0x0800, uint ifindex = 1)
    {
        Packet = packet ?? throw new ArgumentNullException(nameof(packet));
        Socket = socket;
        _skb.SetU32(OffLen, (uint)packet.Length);
        _skb.SetU32(OffWireLen, (uint)packet.Length);
        _skb.SetU32(OffProtocol, System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(protocol)); // __be16
        _skb.SetU32(OffIfindex, ifindex);
        _skb.SetU32(OffIngressIfindex, ifindex);
        if (socket is not null) _skb.SetU32(OffFamily, socket.Family);
        _skb.Pointer(OffData, 4, () => _packet!.Address)
            .Pointer(OffDataEnd, 4, () => _packet!.AddressOf(_packet.Length))
            .Pointer(OffDataMeta, 4, () => _packet!.Address)
            .Pointer(OffFlowKeys, 8, () => 0)
            .Pointer(OffSk, 8, () => Socket?.BpfSockAddress ?? 0)
            .Writable(OffMark, 4).Writable(OffPriority, 4).Writable(OffTcIndex, 4).Writable(OffCb, 20)
            .Writable(OffTcClassid, 4).Writable(OffTstamp, 8);
    }

    public byte[] Packet { get; private set; }
    public SimulatedSocket? Socket { get; }

    public override MemoryRegion? LegacyPacket => _packet;

    public uint Mark { get => _skb.U32(OffMark); set => _skb.SetU32(OffMark, value); }
    public uint Priority { get => _skb.U32(OffPriority); set => _skb.SetU32(OffPriority, value); }
    public uint Cb(int i) => _skb.U32(OffCb + 4 * i);

    internal override ContextMemory? FastContext => _skb;

    public override ulong Attach(BpfMachine machine)
    {
        _packet = machine.Memory.Add("packet", RegionKind.Packet, Packet);
        _ctx = machine.Memory.AddVirtual("__sk_buff", RegionKind.Context, Size, _skb);
        _skb.Bind(_ctx);
        return _ctx.Address;
    }

    /// <summary>BPF_SKB_MAX_LEN (SKB_MAX_ALLOC on Linux 6.18 x86_64: 16 KiB less skb_shared_info): the longest packet
    /// bpf_skb_change_head may make.</summary>
    public const int MaxLength = 16384 - 320;

    /// <summary>
    /// bpf_skb_change_head: <paramref name="headRoom"/> zero bytes in front of the packet (the new mac header), or
    /// -EINVAL for flags or a packet longer than <see cref="MaxLength"/>. The packet gets a new region (so pointers
    /// from before the call fault) and skb->len grows.
    /// </summary>
    internal long ChangeHead(AddressSpace memory, uint headRoom, ulong flags)
    {
        if (_packet is null) return -Maps.Errno.EINVAL;
        long newLength = (long)_packet.Length + headRoom;
        if (flags != 0 || newLength > MaxLength) return -Maps.Errno.EINVAL;
        var bytes = new byte[newLength];
        _packet.Span.CopyTo(bytes.AsSpan((int)headRoom));
        // Added before the old one is removed, so the new region gets another id and stale pointers fault.
        var moved = memory.Add("packet", RegionKind.Packet, bytes);
        memory.Remove(_packet);
        _packet = moved;
        _skb.SetU32(OffLen, (uint)newLength);
        _skb.RefreshPointers();
        return 0;
    }

    public override void Detach(BpfMachine machine)
    {
        if (_packet is not null)
        {
            Packet = _packet.Span.ToArray();
            machine.Memory.Remove(_packet);
        }
        if (_ctx is not null) machine.Memory.Remove(_ctx);
        _packet = _ctx = null;
    }
}
