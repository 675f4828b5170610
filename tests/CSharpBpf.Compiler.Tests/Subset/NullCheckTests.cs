using System.Linq;
using CSharpBpf.Compiler.Tests.Frontend;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Subset;

/// <summary>BPF1002: a map value may be null; the verifier rejects dereferencing it unchecked, so the build does too.</summary>
public class NullCheckTests
{
    private static string Program(string body) => @"
public struct Stats { public ulong Packets; public ulong Bytes; }
public static unsafe partial class P
{
    [Map(MaxEntries = 4)] static ArrayMap<Stats> M;
    [Map(MaxEntries = 4)] static HashMap<uint, ulong> H;

    [Xdp]
    static XdpAction Run(xdp_md* ctx)
    {
" + body + @"
        return XdpAction.Pass;
    }
}";

    [Theory]
    [InlineData("ulong* n = H.Lookup(1); *n += 1;", "*n")]
    [InlineData("Stats* s = M.Lookup(0); s->Packets++;", "s->Packets")]
    [InlineData("Stats* s = M.Lookup(0); if (ctx->data != 0) s->Bytes = 1;", "s->Bytes")]
    [InlineData("ulong* n = H.Lookup(1); if (n != null) { n = H.Lookup(2); *n = 2; }", "*n")]
    [InlineData("ulong* n = H.Lookup(1); if (n == null) *n = 3;", "*n")]
    public void Unchecked_dereference_is_refused_at_it(string body, string span)
    {
        string src = Program(body);
        var diags = TestCompilation.Diagnose(src);
        var d = Assert.Single(diags);
        Assert.Equal("BPF1002", d.Id);
        Assert.Equal(span, TestCompilation.SpanText(src, d));
    }

    [Theory]
    [InlineData("ulong* n = H.Lookup(1); if (n != null) *n += 1;")]
    [InlineData("ulong* n = H.Lookup(1); if (n == null) return XdpAction.Drop; *n += 1;")]
    [InlineData("ulong* n = H.Lookup(1); if (n != null && *n > 3) return XdpAction.Drop;")]
    [InlineData("ulong* n = H.Lookup(1); if (n == null || *n > 3) return XdpAction.Drop;")]
    [InlineData("ulong* n = H.Lookup(1); ulong v = n != null ? *n : 0; if (v > 2) return XdpAction.Drop;")]
    [InlineData("Stats* s = M.Lookup(0); if (null != s) { s->Packets++; s->Bytes += ctx->data_end - ctx->data; }")]
    [InlineData("for (uint i = 0; i < 4; i++) { Stats* s = M.Lookup(i); if (s == null) continue; s->Packets = i; }")]
    public void Checked_dereference_is_accepted(string body)
    {
        Assert.Empty(TestCompilation.Diagnose(Program(body)));
    }
}
