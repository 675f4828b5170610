using System;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Contexts;

/// <summary>
/// An XDP program's input: struct xdp_md whose data, data_end and data_meta (u32 in UAPI) load as
/// pointers into the packet region, exactly as the kernel rewrites them; the packet is writable.
/// After the run, <see cref="Packet"/> holds the (possibly modified) packet.
/// </summary>
public sealed class XdpContext : ProgramContext
{
    public const int XdpAborted = 0, XdpDrop = 1, XdpPass = 2, XdpTx = 3, XdpRedirect = 4;
    private readonly ContextMemory _md = new(24);
    private MemoryRegion? _packet, _ctx;

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
        _packet = machine.Memory.Add("packet", RegionKind.Packet, Packet);
        _ctx = machine.Memory.AddVirtual("xdp_md", RegionKind.Context, 24, _md);
        _md.Bind(_ctx);
        return _ctx.Address;
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
