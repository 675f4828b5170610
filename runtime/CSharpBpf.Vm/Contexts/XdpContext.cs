using System;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// An XDP program's input: struct xdp_md whose data, data_end and data_meta (u32 in UAPI) load as
/// pointers into the packet region, exactly as the kernel rewrites them; the packet is writable.
/// After the run, <see cref="Packet"/> holds the (possibly modified, moved, grown or trimmed) packet.
/// </summary>
/// <remarks>
/// The packet lives in a frame laid out as BPF_PROG_TEST_RUN lays it out: <see cref="Headroom"/> bytes before
/// it, and a 4096-byte frame whose last <see cref="SharedInfoReserve"/> bytes (skb_shared_info) are off limits,
/// so bpf_xdp_adjust_head/tail succeed and fail where the kernel's do. The packet region is only the bytes
/// between data and data_end (an access outside still faults); moving data gives the packet a new region, so
/// pointers taken before bpf_xdp_adjust_head fault instead of silently reading the wrong bytes.
/// </remarks>
public sealed class XdpContext : ProgramContext
{
    public const int XdpAborted = 0, XdpDrop = 1, XdpPass = 2, XdpTx = 3, XdpRedirect = 4;

    /// <summary>XDP_PACKET_HEADROOM: bytes before the packet in the frame.</summary>
    public const int Headroom = 256;
    /// <summary>The frame size BPF_PROG_TEST_RUN uses (a page), when the packet fits.</summary>
    public const int FrameSize = 4096;
    /// <summary>SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on Linux 6.18 x86_64: the frame's end data_end may not enter.</summary>
    public const int SharedInfoReserve = 320;
    /// <summary>sizeof(struct xdp_frame) on Linux 6.18 x86_64: the frame's start data may not enter.</summary>
    public const int FrameHeader = 40;
    /// <summary>ETH_HLEN: the smallest packet adjust_head/adjust_tail leave.</summary>
    public const int MinPacket = 14;

    private readonly ContextMemory _md = new(24);
    private MemoryRegion? _packet, _ctx;
    private byte[] _frame = Array.Empty<byte>();
    private int _dataOffset, _endOffset;

    public XdpContext(byte[] packet, uint ingressIfindex = 1, uint rxQueue = 0)
    {
        Packet = packet ?? throw new ArgumentNullException(nameof(packet));
        _md.SetU32(12, ingressIfindex);
        _md.SetU32(16, rxQueue);
        _md.Pointer(0, 4, () => _packet!.Address)
           .Pointer(4, 4, () => _packet!.AddressOf(_packet.Length))
           .Pointer(8, 4, () => _packet!.Address);
    }

    /// <summary>The packet: the input before the run, the program's output after it.</summary>
    public byte[] Packet { get; private set; }

    internal override ContextMemory? FastContext => _md;

    public override ulong Attach(BpfMachine machine)
    {
        // A packet too large for a page gets a frame just big enough (no tailroom), as test_run gives it none either.
        _frame = new byte[Math.Max(FrameSize, Headroom + Packet.Length + SharedInfoReserve)];
        Packet.CopyTo(_frame, Headroom);
        _dataOffset = Headroom;
        _endOffset = Headroom + Packet.Length;
        _packet = machine.Memory.Add("packet", RegionKind.Packet, Packet);
        _ctx = machine.Memory.AddVirtual("xdp_md", RegionKind.Context, 24, _md);
        _md.Bind(_ctx);
        return _ctx.Address;
    }

    /// <summary>bpf_xdp_adjust_head: data += delta within [frame header, data_end - ETH_HLEN]; 0 or -EINVAL.</summary>
    internal long AdjustHead(AddressSpace memory, int delta)
    {
        if (_packet is null) return -Maps.Errno.EINVAL;
        long data = (long)_dataOffset + delta;
        if (data < FrameHeader || data > _endOffset - MinPacket) return -Maps.Errno.EINVAL;
        _packet.Span.CopyTo(_frame.AsSpan(_dataOffset)); // the frame takes the program's writes before the window moves
        _dataOffset = (int)data;
        // Added before the old one is removed, so the new region gets another id and stale pointers fault.
        var moved = memory.Add("packet", RegionKind.Packet, _frame.AsSpan(_dataOffset, _endOffset - _dataOffset));
        memory.Remove(_packet);
        _packet = moved;
        _md.RefreshPointers();
        return 0;
    }

    /// <summary>bpf_xdp_adjust_tail: data_end += delta within [data + ETH_HLEN, frame end - shared info]; grown bytes are zero.</summary>
    internal long AdjustTail(AddressSpace memory, int delta)
    {
        if (_packet is null) return -Maps.Errno.EINVAL;
        long end = (long)_endOffset + delta;
        if (end > _frame.Length - SharedInfoReserve || end < _dataOffset + MinPacket) return -Maps.Errno.EINVAL;
        _endOffset = (int)end;
        memory.Resize(_packet, _endOffset - _dataOffset); // keeps the address; new bytes are zero like the kernel's memset
        _md.RefreshPointers();
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
