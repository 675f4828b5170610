// A real (not unrolled) loop whose trip count depends on the packet: a position-weighted sum of
// up to 64 payload bytes, each access bounds-checked, stored per packet length bucket.
// Twin: ../../twins/payload_sum.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class PayloadSum
{
    [Map(MaxEntries = 16)] static ArrayMap<uint> last_sum;

    [Xdp]
    static XdpAction weighted_sum(xdp_md* ctx)
    {
        byte* data = (byte*)ctx->data;
        byte* end = (byte*)ctx->data_end;
        uint sum = 0;
        for (uint i = 0; i < 64; i++)
        {
            byte* p = data + i;
            if (p + 1 > end) break;
            sum += (uint)*p * (i + 1);
        }
        uint bucket = (uint)(end - data) >> 6 & 15;
        uint* slot = last_sum.Lookup(bucket);
        if (slot != null) *slot = sum;
        return sum % 7 == 0 ? XdpAction.Drop : XdpAction.Pass;
    }
}
