using System.Linq;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Frontend;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Subset;

/// <summary>
/// Odd but valid C# inside a program never crashes the compiler: it compiles, or it is refused with
/// a BPF diagnostic that names the construct, never the BPF0999 internal error.
/// </summary>
public class RobustnessTests
{
    [Theory]
    [InlineData("int x = nameof(ctx).Length;")]
    [InlineData("var t = typeof(int);")]
    [InlineData("object o = ctx->data; if (o is uint u) return XdpAction.Drop;")]
    [InlineData("if (ctx->data is > 5 and < 10) return XdpAction.Drop;")]
    [InlineData("checked { uint z = ctx->data + 1; }")]
    [InlineData("unchecked { uint z = ctx->data * 3; if (z == 1) return XdpAction.Drop; }")]
    [InlineData("goto done; done: ;")]
    [InlineData("(uint a, uint b) = (ctx->data, ctx->data_end);")]
    [InlineData("var s = new System.Text.StringBuilder();")]
    [InlineData("System.Console.WriteLine(1);")]
    [InlineData("uint? maybe = ctx->data; if (maybe.HasValue) return XdpAction.Drop;")]
    [InlineData("ref uint r = ref ctx->data; r = 5;")]
    [InlineData("fixed (uint* p = &Scratch[0]) { *p = 1; }")]
    [InlineData("uint* p = &ctx->data; *p += 1;")]
    [InlineData("byte b = (byte)ctx->data; b <<= 9; if (b == 0) return XdpAction.Drop;")]
    [InlineData("long l = ctx->data; l = -l >> 70; if (l == 0) return XdpAction.Drop;")]
    [InlineData("switch (ctx->data) { case 1 when ctx->data_end > 4: return XdpAction.Drop; }")]
    [InlineData("var x = ctx->data switch { 1 => 2u, _ => throw new System.Exception() };")]
    [InlineData("int i = 0; while (true) { if (++i > 10) break; }")]
    [InlineData("for (;;) { break; }")]
    [InlineData("do { } while (false);")]
    [InlineData("Span();")]
    [InlineData("uint v = Local(ctx->data); static uint Local(uint a) { return a is 0 ? 1u : a; }")]
    public void Never_an_internal_error(string body)
    {
        string src = @"
public static unsafe partial class P
{
    static uint[] Scratch = new uint[4];
    static void Span() { System.Span<byte> s = stackalloc byte[4]; s[0] = 1; }

    [Xdp]
    static XdpAction Run(xdp_md* ctx)
    {
" + body + @"
        return XdpAction.Pass;
    }
}";
        var c = TestCompilation.Create(src);
        var compiled = BpfClassCompiler.Compile(c, TestCompilation.Class(c, "P"));
        System.Console.WriteLine(body + " => " + (compiled.Diagnostics.Count == 0 ? "compiled" : string.Join("; ", compiled.Diagnostics.Select(d => d.Id + " " + d.Message))));
        Assert.DoesNotContain(compiled.Diagnostics, d => d.Id == "BPF0999");
        Assert.All(compiled.Diagnostics, d => Assert.StartsWith("BPF", d.Id));
    }
}
