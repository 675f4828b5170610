// A socket filter: IPv4 only, bytes accounted per packet type in an array map, frames for other
// hosts refused, the rest truncated to 1500 bytes. Twin: ../../twins/socket_filter.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class SocketFilter
{
    [Map(MaxEntries = 4)] static ArrayMap<ulong> bytes_by_type;

    [SocketFilter]
    static int keep_ipv4(__sk_buff* skb)
    {
        if (skb->protocol != Wire.EthPIpBe) return 0;
        ulong* c = bytes_by_type.Lookup(skb->pkt_type & 3);
        if (c != null) *c += skb->len;
        if (skb->pkt_type == 3) return 0;                         // PACKET_OTHERHOST
        return skb->len > 1500 ? 1500 : (int)skb->len;
    }
}
