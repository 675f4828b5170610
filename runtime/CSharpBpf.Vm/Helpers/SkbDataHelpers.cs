using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Helpers;

/// <summary>
/// bpf_skb_pull_data (39) and bpf_skb_change_head (43, <see cref="SkbContext.ChangeHead"/>). bpf_skb_pull_data: the VM's socket buffers are always linear, so the pull itself has nothing to move; what
/// remains of the kernel's behaviour is the answer: 0 when the packet holds <c>len</c> bytes (0 = the linear part),
/// else -ENOMEM (pskb_may_pull fails).
/// </summary>
internal static class SkbDataHelpers
{
    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.SkbPullData, "bpf_skb_pull_data", (m, a) =>
        {
            if (m.CurrentContext is not SkbContext skb || skb.LegacyPacket is not { } packet)
                throw StandardHelpers.BadArg(a, $"bpf_skb_pull_data works on a socket buffer only; this run has {m.CurrentContext?.GetType().Name ?? "none"}");
            uint length = (uint)a.R2;
            return length <= (uint)packet.Length ? 0 : Errno.Neg(Errno.ENOMEM);
        });
        t.Register(HelperIds.SkbChangeHead, "bpf_skb_change_head", (m, a) =>
        {
            if (m.CurrentContext is not SkbContext skb)
                throw StandardHelpers.BadArg(a, $"bpf_skb_change_head works on a socket buffer only; this run has {m.CurrentContext?.GetType().Name ?? "none"}");
            return unchecked((ulong)skb.ChangeHead(m.Memory, (uint)a.R2, a.R3));
        });
    }
}
