namespace CSharpBpf.Analyzers.Tests;

/// <summary>The BPF classes the tests analyze (one concern each; line layout matters for span assertions).</summary>
public static class Sources
{
    public const string Header = """
        using CSharpBpf;
        using CSharpBpf.Kernel;

        """;

    /// <summary>Compiles and verifies cleanly.</summary>
    public const string Clean = Header + """
        public static unsafe partial class Clean
        {
            [Map(MaxEntries = 4)] static ArrayMap<ulong> Counts;

            [Xdp]
            static XdpAction Count(xdp_md* ctx)
            {
                ulong* n = Counts.Lookup(0);
                if (n != null) *n += 1;
                return XdpAction.Pass;
            }
        }
        """;

    /// <summary>BPF1002: the lookup result is dereferenced without a null check.</summary>
    public const string NullDeref = Header + """
        public static unsafe partial class NullDeref
        {
            [Map(MaxEntries = 4)] static ArrayMap<ulong> Counts;

            [Xdp]
            static XdpAction Count(xdp_md* ctx)
            {
                ulong* n = Counts.Lookup(0);
                *n += 1;
                return XdpAction.Pass;
            }
        }
        """;

    /// <summary>BPF1002 in a void subprogram (code fix returns without a value).</summary>
    public const string NullDerefVoid = Header + """
        public static unsafe partial class NullDerefVoid
        {
            [Map(MaxEntries = 4)] static ArrayMap<ulong> Counts;

            static void Bump(uint key)
            {
                ulong* n;
                n = Counts.Lookup(key);
                *n += 1;
            }

            [Xdp]
            static XdpAction Count(xdp_md* ctx)
            {
                Bump(1);
                return XdpAction.Pass;
            }
        }
        """;

    /// <summary>BPF0001: a heap allocation.</summary>
    public const string Allocation = Header + """
        public static unsafe partial class Alloc
        {
            [Xdp]
            static XdpAction Run(xdp_md* ctx)
            {
                var a = new int[4];
                return XdpAction.Pass;
            }
        }
        """;

    /// <summary>BPF2002: an XDP program must take xdp_md*.</summary>
    public const string WrongSignature = Header + """
        public static unsafe partial class WrongSig
        {
            [Xdp]
            static XdpAction Run(int x) => XdpAction.Pass;
        }
        """;

    /// <summary>Accepted by the compiler, rejected by the verifier: a packet byte read with no bounds check.</summary>
    public const string UncheckedPacket = Header + """
        public static unsafe partial class Unchecked
        {
            [Xdp]
            static XdpAction Run(xdp_md* ctx)
            {
                byte* data = (byte*)ctx->data;
                byte first = data[0];
                return first == 1 ? XdpAction.Drop : XdpAction.Pass;
            }
        }
        """;
}
