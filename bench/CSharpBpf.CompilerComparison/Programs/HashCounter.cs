// A per-interface packet counter in a hash map: look the key up, bump it in place when present,
// insert 1 otherwise. Twin: ../../twins/hash_counter.c
using CSharpBpf;
using CSharpBpf.Kernel;

namespace CSharpBpf.CompilerComparison.Programs;

public static unsafe partial class HashCounter
{
    [Map(MaxEntries = 256)] static HashMap<uint, ulong> packets;

    [Xdp]
    static XdpAction count_by_ifindex(xdp_md* ctx)
    {
        uint key = ctx->ingress_ifindex;
        ulong* n = packets.Lookup(key);
        if (n != null) *n += 1;
        else packets.Update(key, 1, MapUpdate.NoExist);
        return XdpAction.Pass;
    }
}
