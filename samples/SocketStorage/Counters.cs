using System.Threading;
using CSharpBpf;
using CSharpBpf.Kernel;

namespace SocketStorage;

public struct Counts
{
    public ulong Packets;
    public ulong Bytes;
}

/// <summary>
/// Per-socket egress counters kept two ways. Socket local storage (sk_storage) hangs the value on the
/// socket itself: no key to compute, no capacity to size, freed with the socket. A hash map keyed by the
/// socket cookie works everywhere but needs a lookup by key and entries someone must delete.
/// </summary>
public static unsafe partial class Counters
{
    [Map(MaxEntries = 1)] static SkStorageMap<Counts> PerSocket;
    [Map(MaxEntries = 4096)] static HashMap<ulong, Counts> ByCookie;

    [CgroupSkb(CgroupSkbDirection.Egress)]
    static int CountInStorage(__sk_buff* skb)
    {
        bpf_sock* sk = skb->sk;
        if (sk == null) return 1;
        sk = Bpf.SkFullsock(sk); // storage lives on full sockets only
        if (sk == null) return 1;
        Counts* c = PerSocket.Get(sk, null, SkStorageGet.Create); // zeroed on first use
        if (c == null) return 1;
        Interlocked.Increment(ref c->Packets);
        Interlocked.Add(ref c->Bytes, skb->len);
        return 1;
    }

    [CgroupSkb(CgroupSkbDirection.Egress)]
    static int CountInHash(__sk_buff* skb)
    {
        ulong cookie = Bpf.GetSocketCookie(skb);
        Counts* c = ByCookie.Lookup(cookie);
        if (c != null)
        {
            Interlocked.Increment(ref c->Packets);
            Interlocked.Add(ref c->Bytes, skb->len);
            return 1;
        }
        Counts first;
        first.Packets = 1;
        first.Bytes = skb->len;
        ByCookie.Update(cookie, first, MapUpdate.NoExist);
        return 1;
    }
}
