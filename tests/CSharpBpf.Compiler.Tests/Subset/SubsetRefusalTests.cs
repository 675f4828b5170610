using System.Linq;
using CSharpBpf.Compiler.Tests.Frontend;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Subset;

/// <summary>
/// Every refusal of the subset, each at the span that causes it: the C# below compiles as C#, and
/// the frontend must report the given id with its location on exactly the given text.
/// </summary>
public class SubsetRefusalTests
{
    private const string Support = @"
public class Box { public int V; }
public interface IThing { int Get(); }
public struct Thing : IThing { public int Get() => 1; }
public static class Other { public static int Counter; }
public unsafe struct Big { public fixed byte Bytes[600]; }
";

    private static string Program(string body, string members = "") => Support + @"
public static unsafe partial class P
{
    [Xdp]
    static XdpAction Run(xdp_md* ctx)
    {
" + body + @"
        return XdpAction.Pass;
    }
" + members + @"
}";

    [Theory]
    [InlineData("BPF0001", "var b = new Box();", "", "new Box()")]
    [InlineData("BPF0001", "var a = new int[4];", "", "new int[4]")]
    [InlineData("BPF0001", "object o = 5;", "", "5")]
    [InlineData("BPF0002", "int h = ctx->data.GetHashCode();", "", "ctx->data.GetHashCode()")]
    [InlineData("BPF0002", "int g = ((IThing)default(Thing)).Get();", "", "((IThing)default(Thing)).Get()")]
    [InlineData("BPF0003", "if (ctx->data == 0) throw new System.InvalidOperationException();", "", "throw new System.InvalidOperationException();")]
    [InlineData("BPF0003", "try { ctx->mark(); } finally { }", "", "try { ctx->mark(); } finally { }")]
    [InlineData("BPF0003", "int c = checked((int)ctx->data + 1);", "", "(int)ctx->data + 1")]
    [InlineData("BPF0004", "string s = \"abc\";", "", "\"abc\"")]
    [InlineData("BPF0005", "double d = 1.5;", "", "1.5")]
    [InlineData("BPF0005", "int f = (int)(ctx->data * 1.5);", "", "ctx->data * 1.5")]
    [InlineData("BPF0006", "int r = Down(5);", "static int Down(int n) => n <= 0 ? 0 : Down(n - 1);", "Down(n - 1)")]
    [InlineData("BPF0006", "int r = Ping(5);", "static int Ping(int n) => n <= 0 ? 0 : Pong(n - 1);\nstatic int Pong(int n) => Ping(n);", "Ping(n)")]
    [InlineData("BPF0007", "int s = System.Linq.Enumerable.Sum(System.Linq.Enumerable.Range(0, 3));", "", "System.Linq.Enumerable.Sum(System.Linq.Enumerable.Range(0, 3))")]
    [InlineData("BPF0007", "var q = from x in System.Linq.Enumerable.Range(0, 3) select x;", "", "from x in System.Linq.Enumerable.Range(0, 3) select x")]
    [InlineData("BPF0008", "int k = 3; System.Func<int> f = () => k;", "", "() => k")]
    [InlineData("BPF0008", "uint k = ctx->data; uint G() => k; if (G() == 0) return XdpAction.Drop;", "", "uint G() => k;")]
    [InlineData("BPF0009", "System.Func<int> f = () => 1;", "", "() => 1")]
    [InlineData("BPF0010", "foreach (int x in stackalloc int[] { 1, 2, 3 }) { }", "", "stackalloc int[] { 1, 2, 3 }")]
    [InlineData("BPF0011", "Big b = default; b.Bytes[0] = 1;", "", "Run")]
    [InlineData("BPF0014", "int m = System.Math.Max(1, (int)ctx->data);", "", "System.Math.Max(1, (int)ctx->data)")]
    [InlineData("BPF0015", "string f = \"%d\"; Bpf.TracePrintk(f, 1);", "", "f")]
    [InlineData("BPF0016", "int t = Other.Counter;", "", "Other.Counter")]
    [InlineData("BPF0012", "Box? b = null;", "", "b = null")]
    [InlineData("BPF0017", "short s = 0; System.Threading.Interlocked.Exchange(ref s, (short)1);", "", "System.Threading.Interlocked.Exchange(ref s, (short)1)")]
    [InlineData("BPF0017", "long v = 0; long r = System.Threading.Interlocked.Read(ref v);", "", "System.Threading.Interlocked.Read(ref v)")]
    [InlineData("BPF0017", "System.Threading.Interlocked.MemoryBarrier();", "", "System.Threading.Interlocked.MemoryBarrier()")]
    public void Refused_at_its_span(string id, string body, string members, string spanText)
    {
        string source = Program(body.Replace("ctx->mark();", "ctx->data++;"), members);
        spanText = spanText.Replace("ctx->mark();", "ctx->data++;");
        var diags = TestCompilation.Diagnose(source);
        var all = string.Join("\n", diags.Select(d => $"{d.Id} at '{TestCompilation.SpanText(source, d)}': {d.Message}"));
        Assert.True(diags.Any(d => d.Id == id && TestCompilation.SpanText(source, d) == spanText),
            $"expected {id} at '{spanText}', got:\n{all}");
        Assert.All(diags, d => Assert.False(string.IsNullOrWhiteSpace(d.Message)));
    }

    [Fact]
    public void Every_message_says_what_to_do()
    {
        foreach (var d in CSharpBpf.Compiler.Diagnostics.BpfDiagnosticCatalog.All)
        {
            string format = d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Matches("^BPF[0-2][0-9]{3}$", d.Id);
            Assert.True(format.Contains(';') || format.Contains(" use ") || format.Contains("must"),
                $"{d.Id}: the message should say what to do: {format}");
        }
        Assert.Equal(CSharpBpf.Compiler.Diagnostics.BpfDiagnosticCatalog.All.Length,
            CSharpBpf.Compiler.Diagnostics.BpfDiagnosticCatalog.All.Select(d => d.Id).Distinct().Count());
    }

    [Fact]
    public void Class_must_be_static_partial()
    {
        var diags = TestCompilation.Diagnose(@"public unsafe class P { [Xdp] static XdpAction Run(xdp_md* ctx) => XdpAction.Pass; }");
        Assert.Contains(diags, d => d.Id == "BPF2001");
    }

    [Fact]
    public void Program_signature_is_checked()
    {
        string src = "public static unsafe partial class P { [Xdp] static int Run(int x) => x; }";
        var diags = TestCompilation.Diagnose(src);
        var d = Assert.Single(diags);
        Assert.Equal("BPF2002", d.Id);
        Assert.Equal("Run", TestCompilation.SpanText(src, d));
    }

    [Theory]
    [InlineData("[Map] static ArrayMap<int> M;", "needs MaxEntries")]
    [InlineData("static ArrayMap<int> M;", "has no [Map]")]
    [InlineData("[Map(MaxEntries = 1000)] static RingBuf R;", "power of two")]
    public void Map_declarations_are_checked(string field, string reason)
    {
        string src = "public static unsafe partial class P { " + field + " [Xdp] static XdpAction Run(xdp_md* ctx) => XdpAction.Pass; }";
        var diags = TestCompilation.Diagnose(src);
        Assert.Contains(diags, d => d.Id == "BPF2003" && d.Message.Contains(reason));
    }

    [Fact]
    public void Unreached_methods_are_not_checked()
    {
        // a native helper in the same class that the programs never call is not BPF code
        var diags = TestCompilation.Diagnose(Program("", "static string Describe() => \"native only\";"));
        Assert.Empty(diags);
    }
}
