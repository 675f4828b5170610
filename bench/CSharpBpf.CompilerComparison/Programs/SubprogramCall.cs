// A bpf-to-bpf call: a hash mixing function kept out of line (C: noinline) and called twice, its
// result picking an array slot to count in. Twin: ../../twins/subprogram_call.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class SubprogramCall
{
    [Map(MaxEntries = 64)] static ArrayMap<ulong> buckets;

    [Inline(false)]
    static uint Mix(uint a, uint b)
    {
        a ^= b;
        a *= 0x9e3779b1;
        return a ^ (a >> 15);
    }

    [Xdp]
    static XdpAction flow_bucket(xdp_md* ctx)
    {
        byte* data = (byte*)ctx->data;
        byte* end = (byte*)ctx->data_end;
        if (data + sizeof(EthHdr) + sizeof(IpHdr) > end) return XdpAction.Pass;
        IpHdr* ip = (IpHdr*)(data + sizeof(EthHdr));
        uint h = Mix(ip->Saddr, ip->Daddr);
        h = Mix(h, ip->Protocol);
        ulong* n = buckets.Lookup(h & 63);
        if (n != null) *n += 1;
        return XdpAction.Pass;
    }
}
