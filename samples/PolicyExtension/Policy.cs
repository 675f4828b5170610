using CSharpBpf;
using CSharpBpf.Kernel;

namespace PolicyExtension;

/// <summary>
/// An XDP policy whose verdict is delegated to a global function. Global (not static) functions are
/// verified on their own and keep their BTF FUNC, which is what lets a program extension replace one
/// in the loaded program without reloading it.
/// </summary>
public static unsafe partial class Policy
{
    /// <summary>The shipped decision: every frame passes.</summary>
    [Global]
    static int Decide(uint len) => len != 0 ? (int)XdpAction.Pass : (int)XdpAction.Aborted;

    [Xdp]
    static int Filter(xdp_md* ctx) => Decide(ctx->data_end - ctx->data);
}

/// <summary>The replacement decision: frames longer than <see cref="MaxLength"/> bytes are dropped.</summary>
public static unsafe partial class SizeCap
{
    public const uint MaxLength = 128;

    [Extension(typeof(Policy), "Decide")]
    static int Cap(uint len) => len > MaxLength ? (int)XdpAction.Drop : (int)XdpAction.Pass;
}
