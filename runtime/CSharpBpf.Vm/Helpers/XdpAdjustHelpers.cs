using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Helpers;

/// <summary>
/// bpf_xdp_adjust_head (44) and bpf_xdp_adjust_tail (65): move the XDP packet's start or end within its frame,
/// with the kernel's limits (<see cref="XdpContext"/>). Both engines forget their cached region after every helper
/// call, so the loads that follow see the moved packet.
/// </summary>
internal static class XdpAdjustHelpers
{
    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.XdpAdjustHead, "bpf_xdp_adjust_head", (m, a) => unchecked((ulong)Xdp(m, a, "bpf_xdp_adjust_head").AdjustHead(m.Memory, (int)a.R2)));
        t.Register(HelperIds.XdpAdjustTail, "bpf_xdp_adjust_tail", (m, a) => unchecked((ulong)Xdp(m, a, "bpf_xdp_adjust_tail").AdjustTail(m.Memory, (int)a.R2)));
    }

    /// <summary>The run's XDP context, which r1 must point at (the kernel's ARG_PTR_TO_CTX).</summary>
    private static XdpContext Xdp(BpfMachine m, HelperArgs a, string helper)
    {
        if (m.CurrentContext is not XdpContext xdp)
            throw StandardHelpers.BadArg(a, $"{helper} works on an XDP context only; this run has {m.CurrentContext?.GetType().Name ?? "none"}");
        var region = m.Memory.RegionOf(a.R1, out long off);
        if (region is null || region.Kind != RegionKind.Context || off != 0)
            throw StandardHelpers.BadArg(a, $"r1 = 0x{a.R1:x} is not the xdp_md context {helper} needs");
        return xdp;
    }
}
