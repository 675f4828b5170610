using System.Threading;
using CSharpBpf;
using CSharpBpf.Kernel;

namespace PacketFilter;

/// <summary>Ethernet header (14 bytes, network byte order fields).</summary>
public struct EthHdr
{
    public unsafe fixed byte Dest[6];
    public unsafe fixed byte Source[6];
    public ushort Proto;
}

/// <summary>IPv4 header without options (20 bytes).</summary>
public struct Ipv4Hdr
{
    public byte VersionIhl;
    public byte Tos;
    public ushort TotalLength;
    public ushort Id;
    public ushort FragOff;
    public byte Ttl;
    public byte Protocol;
    public ushort Check;
    public uint Saddr;
    public uint Daddr;
}

/// <summary>UDP header (8 bytes).</summary>
public struct UdpHdr
{
    public ushort Source;
    public ushort Dest;
    public ushort Len;
    public ushort Check;
}

/// <summary>
/// An XDP filter: drops UDP datagrams to a blocked port and counts what it saw per verdict.
/// Every packet access is preceded by a bounds check against data_end: the kernel verifier
/// refuses the program without it.
/// </summary>
public static unsafe partial class UdpFilter
{
    /// <summary>Counters: 0 = passed, 1 = dropped, 2 = too short to parse.</summary>
    [Map(MaxEntries = 3)] static ArrayMap<ulong> Verdicts;

    /// <summary>The UDP port this filter drops, in host byte order (9 = the discard service).</summary>
    const ushort BlockedPort = 9;

    const ushort EtherTypeIpv4 = 0x0800;
    const byte IpProtoUdp = 17;

    [Xdp]
    static XdpAction Filter(xdp_md* ctx)
    {
        byte* data = (byte*)ctx->data;
        byte* end = (byte*)ctx->data_end;

        EthHdr* eth = (EthHdr*)data;
        if ((byte*)(eth + 1) > end) return Count(2, XdpAction.Pass);
        if (Bpf.Ntohs(eth->Proto) != EtherTypeIpv4) return Count(0, XdpAction.Pass);

        Ipv4Hdr* ip = (Ipv4Hdr*)(eth + 1);
        if ((byte*)(ip + 1) > end) return Count(2, XdpAction.Pass);
        if (ip->Protocol != IpProtoUdp) return Count(0, XdpAction.Pass);

        // The IPv4 header length is in 32-bit words; options shift the UDP header.
        uint ihl = (uint)(ip->VersionIhl & 0x0f) * 4;
        if (ihl < 20) return Count(2, XdpAction.Pass);
        UdpHdr* udp = (UdpHdr*)((byte*)ip + ihl);
        if ((byte*)(udp + 1) > end) return Count(2, XdpAction.Pass);

        return Bpf.Ntohs(udp->Dest) == BlockedPort ? Count(1, XdpAction.Drop) : Count(0, XdpAction.Pass);
    }

    static XdpAction Count(uint slot, XdpAction verdict)
    {
        ulong* n = Verdicts.Lookup(slot);
        if (n != null) Interlocked.Increment(ref *n);
        return verdict;
    }
}
