// Ethernet -> IPv4 (variable header length) -> UDP parsing with the bounds checks the verifier
// demands; drops malformed frames, UDP to the discard port and oversized datagrams.
// Twin: ../../twins/xdp_parse.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class XdpParse
{
    // No byte-swap intrinsic in the C# subset yet: the idiomatic shift/or form (C uses bpf_ntohs).
    static ushort Ntohs(ushort x) => (ushort)((x >> 8) | (x << 8));

    [Xdp]
    static XdpAction parse_udp(xdp_md* ctx)
    {
        byte* data = (byte*)ctx->data;
        byte* end = (byte*)ctx->data_end;
        EthHdr* eth = (EthHdr*)data;
        if (data + sizeof(EthHdr) > end) return XdpAction.Drop;
        if (eth->Proto != Wire.EthPIpBe) return XdpAction.Pass;

        IpHdr* ip = (IpHdr*)(data + sizeof(EthHdr));
        if ((byte*)ip + sizeof(IpHdr) > end) return XdpAction.Drop;
        uint ihl = (uint)(ip->VersionIhl & 0xf);
        if (ihl < 5) return XdpAction.Drop;
        if (ip->Protocol != Wire.IpProtoUdp) return XdpAction.Pass;

        UdpHdr* udp = (UdpHdr*)((byte*)ip + ihl * 4);
        if ((byte*)udp + sizeof(UdpHdr) > end) return XdpAction.Drop;
        if (udp->Dest == 0x0900) return XdpAction.Drop;          // htons(9): discard
        if (Ntohs(udp->Len) > 1472) return XdpAction.Drop;
        return XdpAction.Pass;
    }
}
