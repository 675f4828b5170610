using System.Buffers.Binary;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Helpers;

/// <summary>bpf_redirect, bpf_redirect_map (devmap_hash) and bpf_skb_load_bytes.</summary>
internal static class PacketHelpers
{
    public const ulong XdpRedirect = 4, TcActRedirect = 7, XdpAborted = 0;
    private const ulong ActionMask = 3, BroadcastFlags = 8 | 16; // XDP_ABORTED..XDP_TX; BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS

    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.Redirect, "bpf_redirect", (m, a) =>
        {
            m.LastRedirect = new RedirectTarget("", 0, (uint)a.R1);
            return m.CurrentContext is XdpContext ? XdpRedirect : TcActRedirect;
        });
        t.Register(HelperIds.RedirectMap, "bpf_redirect_map", (m, a) =>
        {
            var map = m.ResolveMap(a.R1, a.Pc);
            if (map is not DevmapHashMap dev) throw StandardHelpers.BadArg(a, $"bpf_redirect_map needs a devmap, not '{map.Name}' ({map.Type})");
            ulong flags = a.R3;
            if ((flags & ~(ActionMask | BroadcastFlags)) != 0) return XdpAborted;
            uint? ifindex = dev.IfindexOf((uint)a.R2);
            if (ifindex is null) return flags & ActionMask; // the low bits are the action on lookup failure
            m.LastRedirect = new RedirectTarget(dev.Name, (uint)a.R2, ifindex.Value);
            return XdpRedirect;
        });
        t.Register(HelperIds.SkbLoadBytes, "bpf_skb_load_bytes", (m, a) =>
        {
            var packet = m.CurrentContext?.LegacyPacket;
            if (a.R4 == 0 || a.R4 > 0xffff) return Errno.Neg(Errno.EINVAL);
            var dst = m.Memory.Slice(a.R3, (int)a.R4, true, a.Pc);
            if (packet is null || a.R2 > int.MaxValue || (long)a.R2 + (long)a.R4 > packet.Length)
            {
                dst.Clear();
                return Errno.Neg(14); // -EFAULT
            }
            packet.Span.Slice((int)a.R2, (int)a.R4).CopyTo(dst);
            return 0;
        });
    }
}
