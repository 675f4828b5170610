using System.Threading;
using CSharpBpf;
using CSharpBpf.Kernel;

namespace XdpRedirect;

/// <summary>
/// An XDP "patch panel": each frame leaves through the device the Ports map names for the interface it
/// arrived on (a devmap_hash: sparse keys, values are ifindexes). bpf_redirect_map returns XDP_REDIRECT
/// and the driver sends the frame after the program; an interface with no entry passes frames to the stack.
/// </summary>
public static unsafe partial class PortMap
{
    /// <summary>Ingress ifindex → egress ifindex.</summary>
    [Map(MaxEntries = 64)] static DevMapHash Ports;

    /// <summary>[0] frames redirected, [1] frames passed (no entry for their interface).</summary>
    [Map(MaxEntries = 2)] static ArrayMap<ulong> Stats;

    [Xdp]
    static XdpAction Forward(xdp_md* ctx)
    {
        XdpAction action = Ports.Redirect(ctx->ingress_ifindex, (ulong)XdpAction.Pass);
        ulong* n = Stats.Lookup(action == XdpAction.Redirect ? 0u : 1u);
        if (n != null) Interlocked.Increment(ref *n);
        return action;
    }
}
