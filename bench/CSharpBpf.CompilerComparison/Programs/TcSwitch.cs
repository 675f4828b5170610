// A switch: a tc classifier marking packets by IP protocol (six cases and a default), dropping ICMP.
// Twin: ../../twins/tc_switch.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class TcSwitch
{
    [SchedCls]
    static TcAction mark_by_protocol(__sk_buff* skb)
    {
        byte* data = (byte*)skb->data;
        byte* end = (byte*)skb->data_end;
        if (data + sizeof(EthHdr) + sizeof(IpHdr) > end) return TcAction.Ok;
        if (((EthHdr*)data)->Proto != Wire.EthPIpBe) return TcAction.Ok;
        IpHdr* ip = (IpHdr*)(data + sizeof(EthHdr));
        switch (ip->Protocol)
        {
            case Wire.IpProtoTcp: skb->mark = 1; break;
            case Wire.IpProtoUdp: skb->mark = 2; break;
            case Wire.IpProtoIcmp: return TcAction.Shot;
            case Wire.IpProtoGre: skb->mark = 4; break;
            case Wire.IpProtoEsp: skb->mark = 5; break;
            case Wire.IpProtoSctp: skb->mark = 6; break;
            default: skb->mark = 0; break;
        }
        return TcAction.Ok;
    }
}
