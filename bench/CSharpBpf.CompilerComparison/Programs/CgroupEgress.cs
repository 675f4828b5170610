// cgroup_skb egress accounting: per-socket packets and bytes in a hash map keyed by the socket
// cookie (inserted on first sight), and a quota that refuses traffic past 1 GiB, counted in an
// array map. Twin: ../../twins/cgroup_egress.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public struct FlowStats
{
    public ulong Packets;
    public ulong Bytes;
}

public static unsafe partial class CgroupEgress
{
    [Map(MaxEntries = 1024)] static HashMap<ulong, FlowStats> per_cookie;
    [Map(MaxEntries = 1)] static ArrayMap<ulong> refused;

    [CgroupSkb(CgroupSkbDirection.Egress)]
    static int egress_quota(__sk_buff* skb)
    {
        ulong cookie = Bpf.GetSocketCookie(skb);
        FlowStats* s = per_cookie.Lookup(cookie);
        if (s == null)
        {
            FlowStats first;
            first.Packets = 1;
            first.Bytes = skb->len;
            per_cookie.Update(cookie, first, MapUpdate.NoExist);
            return 1;
        }
        s->Packets += 1;
        s->Bytes += skb->len;
        if (s->Bytes > (1UL << 30))
        {
            ulong* r = refused.Lookup(0);
            if (r != null) *r += 1;
            return 0;
        }
        return 1;
    }
}
