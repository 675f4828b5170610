using System.Linq;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Objects;
using CSharpBpf.Verifier;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Subset;

/// <summary>
/// BPF2004: a [Global] function is verified by the kernel from its BTF signature alone (at most 5 integer,
/// enum or sized-pointer arguments, an integer return). What the kernel (6.18) refuses, seen with clang-built
/// equivalents: "Arg#0 type STRUCT in g() is not supported yet", "Global function g() doesn't return scalar"
/// (void and pointer returns), "arg#0 reference type('UNKNOWN ') size cannot be determined" (void*), and a
/// pointer argument dereferenced without a null test ("R1 invalid mem access 'mem_or_null'"), which is all a
/// ref parameter can do. Each is one BPF2004 at the parameter or return type, saying what to write instead.
/// </summary>
public class GlobalSignatureTests
{
    private const string Support = "public struct Pair { public int A; public int B; }\n";

    private static string Program(string global, string call) => Support + @"
public static unsafe partial class P
{
    " + global + @"

    [Xdp]
    static int Run(xdp_md* ctx)
    {
        Pair pair = default;
        int v = (int)ctx->rx_queue_index;
        " + call + @"
        return 2;
    }
}";

    [Theory]
    [InlineData("[Global] static int Sum(Pair p) => p.A + p.B;", "v = Sum(pair);", "Pair", "pass 'Pair' by pointer: Pair* p")]
    [InlineData("[Global] static Pair Make(int a) { Pair p = default; p.A = a; return p; }", "pair = Make(v);", "Pair", "write the struct through a parameter: Pair* result")]
    [InlineData("[Global] static void Touch(int a) { }", "Touch(v);", "void", "return int, not void")]
    [InlineData("[Global] static int* Where(int* a) => a;", "int* w = Where(&v);", "int*", "return an integer")]
    [InlineData("[Global] static int Inc(ref int a) => a + 1;", "v = Inc(ref v);", "ref int", "pass a pointer instead: int* a")]
    [InlineData("[Global] static int Out(out int a) { a = 1; return 0; }", "v = Out(out v);", "out int", "pass a pointer instead: int* a")]
    [InlineData("[Global] static int Any(void* a) => a != null ? 1 : 0;", "v = Any(&v);", "void*", "point to a sized type")]
    public void Refused_once_at_the_offending_type(string global, string call, string spanText, string fix)
    {
        string source = Program(global, call);
        var diags = TestCompilation.Diagnose(source);
        var all = string.Join("\n", diags.Select(d => $"{d.Id} at '{TestCompilation.SpanText(source, d)}': {d.Message}"));
        var d = Assert.Single(diags);
        Assert.True(d.Id == "BPF2004" && TestCompilation.SpanText(source, d) == spanText, $"expected one BPF2004 at '{spanText}', got:\n{all}");
        Assert.Contains(fix, d.Message);
    }

    [Fact]
    public void A_map_parameter_is_refused_as_a_global_signature()
    {
        string source = @"
public static unsafe partial class P
{
    [Map(MaxEntries = 8)] static HashMap<uint, long> Left;
    [Global] static int Count(HashMap<uint, long> m, uint k) => m.Lookup(k) != null ? 1 : 0;
    [Xdp] static int Run(xdp_md* ctx) => Count(Left, 1) + 2;
}";
        var d = Assert.Single(TestCompilation.Diagnose(source));
        Assert.Equal("BPF2004", d.Id);
        Assert.Equal("HashMap<uint, long>", TestCompilation.SpanText(source, d));
        Assert.Contains("use the [Map] field", d.Message);
    }

    [Fact]
    public void Integer_enum_bool_and_sized_pointer_signatures_compile_and_verify()
    {
        // what the kernel accepts: scalars, a context pointer, a pointer to a sized type tested against null
        string source = Support + @"
public static unsafe partial class P
{
    [Global] static int Sum(Pair* p, bool twice, XdpAction a)
    {
        if (p == null) return 0;
        int s = p->A + p->B;
        return twice ? 2 * s + (int)a : s;
    }
    [Global] static uint Len(xdp_md* ctx) => ctx->data_end - ctx->data;

    [Xdp]
    static int Run(xdp_md* ctx)
    {
        Pair pair = default;
        pair.A = (int)Len(ctx);
        return Sum(&pair, true, XdpAction.Pass) >= 0 ? 2 : 1;
    }
}";
        var c = TestCompilation.Create(source);
        var compiled = BpfClassCompiler.Compile(c, TestCompilation.Class(c, "P"));
        Assert.True(compiled.Diagnostics.Count == 0, string.Join("\n", compiled.Diagnostics.AsArray().Select(x => x.ToString())));
        foreach (var r in BpfVerifier.VerifyObject(BpfObjectFile.Read(compiled.Object.AsArray())))
            Assert.True(r.IsAccepted, r.ProgramName + ": " + string.Join("; ", r.Errors));
    }

    [Fact]
    public void A_global_pointer_argument_used_without_a_null_test_is_what_ref_would_compile_to()
    {
        // why ref is refused: its only compilation is a pointer dereferenced untested, which the verifier
        // (managed and kernel alike) refuses in a global function
        string source = @"
public static unsafe partial class P
{
    [Global] static int Inc(int* a) => *a + 1;

    [Xdp]
    static int Run(xdp_md* ctx)
    {
        int v = (int)ctx->rx_queue_index;
        return Inc(&v) > 0 ? 2 : 1;
    }
}";
        var c = TestCompilation.Create(source);
        var compiled = BpfClassCompiler.Compile(c, TestCompilation.Class(c, "P"));
        Assert.True(compiled.Diagnostics.Count == 0, string.Join("\n", compiled.Diagnostics.AsArray().Select(x => x.ToString())));
        var results = BpfVerifier.VerifyObject(BpfObjectFile.Read(compiled.Object.AsArray()));
        Assert.Contains(results, r => !r.IsAccepted);
    }
}
