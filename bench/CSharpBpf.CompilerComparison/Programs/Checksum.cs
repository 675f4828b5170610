// Arithmetic-heavy: verify the IPv4 header checksum (ones' complement sum of the ten 16-bit
// words, folded twice); drop frames whose checksum is wrong. The loop has a constant bound.
// Twin: ../../twins/checksum.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class Checksum
{
    [Xdp]
    static XdpAction ipv4_checksum(xdp_md* ctx)
    {
        byte* data = (byte*)ctx->data;
        byte* end = (byte*)ctx->data_end;
        if (data + sizeof(EthHdr) + sizeof(IpHdr) > end) return XdpAction.Drop;
        if (((EthHdr*)data)->Proto != Wire.EthPIpBe) return XdpAction.Pass;

        ushort* words = (ushort*)(data + sizeof(EthHdr));
        uint sum = 0;
        for (int i = 0; i < 10; i++) sum += words[i];
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum == 0 ? XdpAction.Pass : XdpAction.Drop;
    }
}
