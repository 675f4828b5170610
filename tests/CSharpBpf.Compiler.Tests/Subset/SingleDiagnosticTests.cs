using System.Linq;
using CSharpBpf.Compiler.Tests.Frontend;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Subset;

/// <summary>
/// One mistake, one diagnostic: the most specific id, at the span to change, with a message that fits the
/// type at hand (an unmanaged struct is never told to "use unmanaged structs").
/// </summary>
public class SingleDiagnosticTests
{
    private const string Support = "public struct Pair { public int A; public int B; }\npublic class Box { public int V; }\n";

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

    private static void AssertSingle(string source, string id, string spanText, params string[] messageParts)
    {
        var diags = TestCompilation.Diagnose(source);
        var all = string.Join("\n", diags.Select(d => $"{d.Id} at '{TestCompilation.SpanText(source, d)}': {d.Message}"));
        Assert.True(diags.Count == 1 && diags[0].Id == id && TestCompilation.SpanText(source, diags[0]) == spanText,
            $"expected only {id} at '{spanText}', got:\n{all}");
        foreach (var part in messageParts) Assert.Contains(part, diags[0].Message);
    }

    [Fact]
    public void A_string_local_as_trace_format_is_one_BPF0015_at_the_use()
    {
        string source = Program("string f = \"%d\"; Bpf.TracePrintk(f, 1);");
        AssertSingle(source, "BPF0015", "f", "'f'", "const string");
    }

    [Fact]
    public void A_string_local_used_otherwise_is_still_BPF0004()
    {
        AssertSingle(Program("string s = \"abc\";"), "BPF0004", "\"abc\"");
    }

    [Fact]
    public void Foreach_over_a_span_local_is_one_BPF0012_at_the_local()
    {
        string source = Program("int sum = 0; System.Span<int> s = stackalloc int[2]; s[0] = 1; foreach (var x in s) sum += x; if (sum == 0) return XdpAction.Drop;");
        AssertSingle(source, "BPF0012", "s = stackalloc int[2]", "ref struct", "int* p = stackalloc int[n]", "[InlineArray]");
    }

    [Fact]
    public void Foreach_over_a_stackalloc_expression_is_BPF0010()
    {
        string source = Program("int sum = 0; foreach (int x in stackalloc int[] { 1, 2 }) sum += x; if (sum == 0) return XdpAction.Drop;");
        AssertSingle(source, "BPF0010", "stackalloc int[] { 1, 2 }");
    }

    [Fact]
    public void A_struct_parameter_by_value_says_pass_a_pointer_or_ref()
    {
        string source = Program("Pair p = default; int s = Sum(p);", "[Inline(false)] static int Sum(Pair p) => p.A + p.B;");
        AssertSingle(source, "BPF0012", "p", "by value", "Pair* p", "ref Pair p");
        Assert.DoesNotContain("unmanaged structs", TestCompilation.Diagnose(source)[0].Message);
    }

    [Fact]
    public void A_struct_return_by_value_says_write_through_a_parameter()
    {
        string source = Program("Pair p = Make(1);", "static Pair Make(int a) { Pair p = default; p.A = a; return p; }");
        AssertSingle(source, "BPF0012", "Make", "returns this struct by value", "Pair* result");
    }

    [Fact]
    public void A_class_local_says_it_is_a_reference_type()
    {
        AssertSingle(Program("Box? b = null;"), "BPF0012", "b = null", "reference type", "no managed heap");
    }
}
